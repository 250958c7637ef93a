// One import for test files.
export * from './env.mjs';
export * from './browser.mjs';
export * from './fake.mjs';
export * from './harness.mjs';
export * from './portal.mjs';
export * from './expect.mjs';
export * from './proxy.mjs';
export * from './colors.mjs';
export * from './hostile.mjs';
