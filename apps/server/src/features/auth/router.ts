import { registerInput, tokenInput, tokenOutput, userSchema } from '@mlapi/schemas';
import { TRPCError } from '@trpc/server';
import { createUser } from '../users/users.ts';
import { toUserDto } from '../users/user-dto.ts';
import { publicProcedure, router } from '../../core/procedures.ts';

const badLogin = () => new TRPCError({ code: 'UNAUTHORIZED', message: 'Incorrect username or password' });

export const authRouter = router({
  /** Self-registration: a plain user, inactive and without rights until an admin grants them. */
  register: publicProcedure
    .meta({
      openapi: { method: 'POST', path: '/auth/create', tags: ['auth'], summary: 'Register a new user' },
      successStatus: 201,
      errors: { 409: 'The username is already registered (usernames compare case-insensitively).' },
    })
    .input(registerInput)
    .output(userSchema)
    .mutation(async ({ ctx, input }) => toUserDto(await createUser(ctx.deps.data.users, ctx.deps.passwords, input))),

  /**
   * OAuth2 password grant (form or JSON). Unknown user and wrong password answer alike, in the same time. The attempt
   * is counted against the login throttle before the password is checked (see LoginThrottle).
   */
  token: publicProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/auth/token',
        tags: ['auth'],
        summary: 'Log in (OAuth2 password flow) and get an access token',
        contentTypes: ['application/x-www-form-urlencoded', 'application/json'],
      },
      errors: {
        401: 'Incorrect username or password (an unknown user answers the same, in the same time).',
        429: 'Too many failed password attempts for this username or from this address; wait `Retry-After` seconds.',
      },
    })
    .input(tokenInput)
    .output(tokenOutput)
    .mutation(async ({ ctx, input }) => {
      const { passwords, tokens, loginThrottle } = ctx.deps;
      const attempt = await loginThrottle.reserve(input.username, ctx.request.clientIp, ctx.deps.now().getTime());
      const user = await ctx.deps.data.users.byUsername(input.username);
      const ok = user
        ? await passwords.verify(input.password, user.hashedPassword)
        : await passwords.verifyNobody(input.password);
      if (!user || !ok) {
        ctx.deps.metrics.loginFailures.inc();
        throw badLogin();
      }
      await attempt.succeeded();
      return { access_token: tokens.sign(user), token_type: 'bearer' as const, expires_in: tokens.ttlSeconds };
    }),
});
