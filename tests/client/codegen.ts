// GraphQL Code Generator: a typed client for the operations in operations/, from the running
// server's schema (read by introspection, as every client tool does). STOCKTAKING_URL defaults to
// the local server.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: process.env.STOCKTAKING_URL ?? 'http://127.0.0.1:8080/graphql',
  documents: ['operations/*.graphql'],
  generates: {
    './generated/': {
      preset: 'client',
      config: { scalars: { Date: 'string', DateTime: 'string' } },
    },
  },
};

export default config;
