import { createRequire } from 'node:module';
import type * as DynamoDbSdk from '@aws-sdk/client-dynamodb';

/** The DynamoDB client's package, loaded with `require` for the reason given in streams-sdk.ts. */
export const dynamoDbSdk = createRequire(import.meta.url)('@aws-sdk/client-dynamodb') as typeof DynamoDbSdk;
