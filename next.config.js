/** @type {import('next').NextConfig} */
const nextConfig = {
  // Standalone output: the Docker image in deploy/ copies .next/standalone and runs `node server.js`.
  output: 'standalone',
  reactStrictMode: true,
  poweredByHeader: false,
  // client-node and its transport stay server-side Node modules; never bundled for the browser.
  serverExternalPackages: ['@kubernetes/client-node'],
};

module.exports = nextConfig;
