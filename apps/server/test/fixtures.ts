/** Inputs the tests share: an ordinary house for v2, and a plain work mail the v1 model reads as ham. */
export const house = { crim: 0.1, zn: 0, indus: 8, chas: 0, nox: 0.5, rm: 6.5, age: 60, dis: 4, rad: 4, tax: 300, ptratio: 18, lstat: 8 };

export const hamMail = 'Subject: Re: build\n\nThanks, I applied your patch to the build script and the tests pass now. Cheers, Tom';
