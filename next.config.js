/** @type {import('next').NextConfig} */
const nextConfig = {
  // No `output: 'standalone'`: the production server is bin/chainboard-server.mjs (Next behind the read
  // API's fast path), and Next's standalone server.js cannot host a custom server.
  reactStrictMode: true,
  poweredByHeader: false,
  // client-node and its transport stay server-side Node modules; never bundled for the browser.
  serverExternalPackages: ['@kubernetes/client-node', '@electric-sql/pglite', 'pg'],
  experimental: {
    // `forbidden()` and forbidden.tsx: the namespace page answers a namespace Chainboard may not read
    // with a real 403 (a page cannot set its own status code otherwise).
    authInterrupts: true,
  },
};

module.exports = nextConfig;
