/** @module encryption — an AI's encryption at rest: its status, its settings, a data-key rotation. */
import { z } from 'zod';
import { named } from './registry.js';

export const KeyRotationSchema = named(
  'KeyRotation',
  z.object({
    status: z.enum(['running', 'done']),
    /** The version every document is being re-encrypted to. */
    to_version: z.number().int(),
    /** The versions being retired (0: documents stored in plaintext before the AI had a key). */
    from_versions: z.array(z.number().int()),
    started_at: z.iso.datetime(),
    finished_at: z.iso.datetime().nullable(),
    /** Documents re-encrypted so far. */
    rewritten: z.number().int(),
    /** Where the job stands: the collection it is in. */
    phase: z.string(),
  }),
);

export const EncryptionStatusSchema = named(
  'EncryptionStatus',
  z.object({
    ai_uuid: z.string(),
    /** Whether the AI has a data key: its memories, events, versions and turns are stored encrypted. */
    encrypted: z.boolean(),
    /** The data-key version new writes use (0 without a key). */
    key_version: z.number().int(),
    /** Whether memories' vectors are kept in Firestore (false: only in each instance's memory). */
    store_vectors: z.boolean(),
    rotation: KeyRotationSchema.nullable(),
  }),
);

export const UpdateEncryptionBodySchema = z.strictObject({ store_vectors: z.boolean() });

export type KeyRotation = z.infer<typeof KeyRotationSchema>;
export type EncryptionStatus = z.infer<typeof EncryptionStatusSchema>;
export type UpdateEncryptionBody = z.infer<typeof UpdateEncryptionBodySchema>;
