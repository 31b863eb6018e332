// The Next.js config of the conformance suite's app (see next_app.ts): the
// route files import the library's sources from outside the app's folder.
export default { experimental: { externalDir: true } };
