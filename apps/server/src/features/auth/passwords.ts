import bcrypt from 'bcrypt';

/** bcrypt with a configured cost; the async API keeps the event loop free while hashing. */
export class PasswordHasher {
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly cost: number) {}

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.cost);
  }

  verify(password: string, hash: string): Promise<boolean> {
    return bcrypt.compare(password, hash);
  }

  /** Spends the same time as a real check, so an unknown username answers as slowly as a wrong password. */
  async verifyNobody(password: string): Promise<false> {
    this.dummyHash ??= bcrypt.hash('mlapi-timing-equaliser', this.cost);
    await bcrypt.compare(password, await this.dummyHash);
    return false;
  }
}
