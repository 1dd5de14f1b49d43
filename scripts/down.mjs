#!/usr/bin/env node
// `npm run down`: stops the five services, then Kafka and the schema registry.
import { down } from './infra.mjs';
import { stopServices } from './services.mjs';

stopServices()
  .then(() => down())
  .catch((err) => {
    console.error(`[down] ${err.message}`);
    process.exit(1);
  });
