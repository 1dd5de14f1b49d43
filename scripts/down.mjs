#!/usr/bin/env node
// `npm run down`: stops the five services, then Kafka and the schema registry.
// `npm run down -- --services` stops only the services.
import { down } from './infra.mjs';
import { stopServices } from './services.mjs';

const servicesOnly = process.argv.includes('--services');
stopServices()
  .then(() => (servicesOnly ? undefined : down()))
  .catch((err) => {
    console.error(`[down] ${err.message}`);
    process.exit(1);
  });
