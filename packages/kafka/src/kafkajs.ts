// kafkajs is CommonJS and spreads its error classes into module.exports, which Node's ESM loader
// cannot see as named exports. Importing the default object works under Node, tsx and vitest alike.
import kafkajs from 'kafkajs';

export const { Kafka, Partitioners, logLevel, ConfigResourceTypes, ConfigSource } = kafkajs;
