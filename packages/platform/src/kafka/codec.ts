import fs from 'node:fs';
import path from 'node:path';
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import avro from 'avsc';
import type { Middleware } from 'mappersmith';
import { DecodeError, TickstreamError } from '../errors';
import type { AvroTopicId, TopicNames, ValueOf } from './topics';
import { TOPICS } from './topics';

const MAGIC_BYTE = 0;

/** Finds schemas/ from any working directory inside the repo or an image that copies it. */
export function defaultSchemasDir(): string {
  const candidates = [
    process.env.SCHEMAS_DIR,
    path.resolve(__dirname, '../../../../schemas'),
    path.resolve(__dirname, '../../../schemas'),
    path.resolve(process.cwd(), 'schemas'),
  ].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => fs.existsSync(path.join(p, 'md.bars.v1.avsc')));
  if (!found)
    throw new TickstreamError(
      'SCHEMAS_NOT_FOUND',
      `schemas/ not found (tried ${candidates.join(', ')}); set SCHEMAS_DIR`,
    );
  return found;
}

/**
 * Avro in the Confluent wire format (magic byte, 4-byte schema id, Avro body), with schemas from
 * schemas/*.avsc registered under `<topic>-value` with BACKWARD compatibility.
 *
 * @example
 *   const codec = new AvroCodec({ registryUrl, topics: new TopicNames(prefix) });
 *   await codec.registerAll();
 *   const bytes = await codec.encode('bars', bar);
 *   const { value } = await codec.decode('bars', bytes);
 */
export class AvroCodec {
  private readonly registry: SchemaRegistry;
  private readonly ids = new Map<AvroTopicId, number>();
  private readonly registering = new Map<AvroTopicId, Promise<number>>();
  private readonly readerSchemas = new Map<AvroTopicId, object>();
  private readonly writerTypes = new Map<number, avro.Type>();
  private readonly resolvers = new Map<string, avro.Resolver | null>();
  private readonly readerTypes = new Map<AvroTopicId, avro.Type>();
  /** encodeSync's buffer: the magic byte, then each record's schema id and body in turn. */
  private scratch = Buffer.alloc(64 * 1024);

  constructor(
    private readonly opts: {
      registryUrl: string;
      topics: TopicNames;
      schemasDir?: string;
      /** Per attempt; a registry call is tried up to 5 times. */
      requestTimeoutMs?: number;
    },
  ) {
    // Apicurio 3.3 now and then never answers one request among concurrent registrations: its
    // access log shows the response sent, the client never receives it (reproduced with four
    // clients registering fresh subjects; over a keep-alive socket the call waits forever, on a
    // fresh one it ends in "socket hang up"). A timeout per attempt turns that into an error
    // and the retry sends the request again; every call made here (look up or set a subject's
    // compatibility, register a schema, fetch a schema by id) is idempotent.
    this.registry = new SchemaRegistry({
      host: opts.registryUrl,
      retry: {
        retries: 4,
        enableRetry: () => true,
        validateRetry: (response) => response.status() >= 500 || isTimeout(response.error()),
      },
      middlewares: [requestTimeout(opts.requestTimeoutMs ?? 5000)],
    });
  }

  schemaOf(id: AvroTopicId): object {
    let schema = this.readerSchemas.get(id);
    if (!schema) {
      const file = path.join(this.opts.schemasDir ?? defaultSchemasDir(), `${TOPICS[id].valueSchema}.avsc`);
      schema = JSON.parse(fs.readFileSync(file, 'utf8')) as object;
      this.readerSchemas.set(id, schema);
    }
    return schema;
  }

  /** Registers (or finds) the value schema of each topic; throws SCHEMA_INCOMPATIBLE on a breaking change. */
  async registerAll(ids: readonly AvroTopicId[] = avroTopicIds()): Promise<Map<AvroTopicId, number>> {
    for (const id of ids) await this.registerOnce(id);
    return this.ids;
  }

  /** Registers this service's schema of `id` at most once, however many encodes wait on it. */
  private registerOnce(id: AvroTopicId): Promise<number> {
    let p = this.registering.get(id);
    if (!p) {
      p = this.register(id, this.schemaOf(id));
      this.registering.set(id, p);
      p.catch(() => this.registering.delete(id));
    }
    return p;
  }

  async register(id: AvroTopicId, schema: object, attempt = 1): Promise<number> {
    const subject = `${this.opts.topics.of(id)}-value`;
    try {
      const { id: schemaId } = await this.registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
        { subject, compatibility: COMPATIBILITY.BACKWARD },
      );
      this.ids.set(id, schemaId);
      return schemaId;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // Two processes registering a new subject at once race on its compatibility rule (the
      // loser sees "already exists", or reads the rule before the winner has set it); a later
      // attempt finds the rule in place.
      if (/already exists|compatibility does not match/i.test(message) && attempt < 5) {
        await new Promise((r) => setTimeout(r, 100 * attempt));
        return this.register(id, schema, attempt + 1);
      }
      if (/incompatib/i.test(message)) {
        throw new TickstreamError(
          'SCHEMA_INCOMPATIBLE',
          `schema for ${subject} is incompatible with the registered one: ${message}`,
          { cause: err },
        );
      }
      throw new TickstreamError('REGISTRY_UNAVAILABLE', `cannot register ${subject}: ${message}`, {
        retryable: true,
        cause: err,
      });
    }
  }

  async encode<T extends AvroTopicId>(id: T, value: ValueOf<T>): Promise<Buffer> {
    const schemaId = this.ids.get(id) ?? (await this.registerOnce(id));
    try {
      return await this.registry.encode(schemaId, value);
    } catch (err) {
      throw new TickstreamError(
        'ENCODE_FAILED',
        `value does not match ${TOPICS[id].valueSchema}: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }

  /**
   * Synchronous encode for hot paths once the topic's schema is registered (`registerAll` at
   * start-up): the same bytes as `encode`, without a promise per record.
   */
  encodeSync<T extends AvroTopicId>(id: T, value: ValueOf<T>): Buffer {
    const schemaId = this.ids.get(id);
    if (schemaId === undefined)
      throw new TickstreamError(
        'SCHEMA_NOT_REGISTERED',
        `register ${TOPICS[id].valueSchema} before encodeSync`,
      );
    // Header and body written into one scratch buffer and copied out once: avsc's toBuffer
    // allocates a zero-filled buffer per record, which a header had to be copied in front of.
    let end: number;
    try {
      this.scratch.writeUInt32BE(schemaId, 1);
      end = this.readerType(id).encode(value, this.scratch, 5);
      if (end < 0) {
        // Too small: avsc says by how much (-end bytes short).
        this.scratch = Buffer.allocUnsafe(2 * (this.scratch.length - end));
        this.scratch.writeUInt8(MAGIC_BYTE, 0);
        this.scratch.writeUInt32BE(schemaId, 1);
        end = this.readerType(id).encode(value, this.scratch, 5);
      }
    } catch (err) {
      throw new TickstreamError(
        'ENCODE_FAILED',
        `value does not match ${TOPICS[id].valueSchema}: ${(err as Error).message}`,
        { cause: err },
      );
    }
    return Buffer.from(this.scratch.subarray(0, end));
  }

  /**
   * Decodes a record of topic `id`: reads the writer schema by id from the registry and resolves
   * it to this service's reader schema, so a compatible evolution still decodes and a record of
   * another shape is refused rather than handed on half-read. Written here rather than with the
   * library's decode(buffer, { readerSchema }) because that rebuilds the Avro type and resolver
   * on every record, too slow for market data; resolvers are cached per writer id instead.
   */
  async decode<T extends AvroTopicId>(id: T, bytes: Buffer | null): Promise<ValueOf<T>> {
    const schemaId = checkHeader(bytes);
    if (!this.writerTypes.has(schemaId)) await this.writerType(schemaId);
    return this.decodeKnown(id, bytes as Buffer, schemaId);
  }

  /**
   * The same as `decode` without a promise when the writer schema is already cached (every record
   * after the first of its schema); undefined when it must be fetched first.
   */
  decodeIfCached<T extends AvroTopicId>(id: T, bytes: Buffer | null): ValueOf<T> | undefined {
    const schemaId = checkHeader(bytes);
    return this.writerTypes.has(schemaId) ? this.decodeKnown(id, bytes as Buffer, schemaId) : undefined;
  }

  private decodeKnown<T extends AvroTopicId>(id: T, bytes: Buffer, schemaId: number): ValueOf<T> {
    const writer = this.writerTypes.get(schemaId)!;
    const reader = this.readerType(id);
    const key = `${schemaId}:${id}`;
    let resolver = this.resolvers.get(key);
    if (resolver === undefined) {
      try {
        resolver = writer.equals(reader) ? null : reader.createResolver(writer);
      } catch (err) {
        throw new DecodeError(
          'SCHEMA_MISMATCH',
          `schema id ${schemaId} cannot be read as ${TOPICS[id].valueSchema}: ${(err as Error).message}`,
          { cause: err },
        );
      }
      this.resolvers.set(key, resolver);
    }
    try {
      return (
        resolver
          ? reader.fromBuffer(bytes.subarray(5), resolver, true)
          : reader.fromBuffer(bytes.subarray(5), undefined, true)
      ) as ValueOf<T>;
    } catch (err) {
      throw new DecodeError(
        'MALFORMED_AVRO',
        `record body does not match schema id ${schemaId}: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }

  private readerType(id: AvroTopicId): avro.Type {
    let t = this.readerTypes.get(id);
    if (!t) {
      t = avro.Type.forSchema(this.schemaOf(id) as avro.Schema);
      this.readerTypes.set(id, t);
    }
    return t;
  }

  private async writerType(schemaId: number): Promise<avro.Type> {
    const cached = this.writerTypes.get(schemaId);
    if (cached) return cached;
    let type: avro.Type;
    try {
      type = (await this.registry.getSchema(schemaId)) as unknown as avro.Type;
    } catch (err) {
      const status = (err as { status?: number }).status;
      if (status === 404)
        throw new DecodeError('UNKNOWN_SCHEMA_ID', `schema id ${schemaId} is not in the registry`, {
          cause: err,
        });
      throw new TickstreamError(
        'REGISTRY_UNAVAILABLE',
        `cannot fetch schema id ${schemaId}: ${(err as Error).message}`,
        { retryable: true, cause: err },
      );
    }
    this.writerTypes.set(schemaId, type);
    return type;
  }
}

/** A mappersmith middleware giving each request attempt a deadline. */
function requestTimeout(ms: number): Middleware {
  return () => ({
    prepareRequest: (next) => next().then((request) => request.enhance({ timeout: ms })),
  });
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && err.name === 'TimeoutError';
}

/** Checks the Confluent framing and returns the schema id. */
function checkHeader(bytes: Buffer | null): number {
  if (!bytes || bytes.length < 5)
    throw new DecodeError(
      'MALFORMED_RECORD',
      'record value is empty or shorter than the 5-byte Confluent header',
    );
  if (bytes.readUInt8(0) !== MAGIC_BYTE) {
    throw new DecodeError(
      'BAD_MAGIC_BYTE',
      `expected magic byte 0, got ${bytes.readUInt8(0)}: not Confluent-framed Avro`,
    );
  }
  return bytes.readUInt32BE(1);
}

export function avroTopicIds(): AvroTopicId[] {
  return (Object.keys(TOPICS) as (keyof typeof TOPICS)[]).filter(
    (k): k is AvroTopicId => 'valueSchema' in TOPICS[k],
  );
}
