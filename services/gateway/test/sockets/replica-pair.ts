import type { TypedProducer } from '@tickstream/platform';
import type { ClientSocket } from '../../../../test/support/gateway-client';
import { kafkaTestbed, typedProducer } from '../../../../test/support/kafka';
import type { ServiceProcess } from '../../../../test/support/service-process';
import { isolatedEnv, startService } from '../../../../test/support/service-process';

/** Two gateway replicas on one Kafka prefix and one Redis prefix, and what their tests open. */
export interface ReplicaPair {
  /** Writes the market data both replicas read. */
  producer: TypedProducer;
  g1: string;
  g2: string;
  /** Sockets the tests opened; closed with the pair. */
  sockets: ClientSocket[];
  close(): Promise<void>;
}

/** Starts two gateways on a testbed of their own (`label`) with `settings` over the isolated env. */
export async function startReplicaPair(
  label: string,
  settings: Record<string, string>,
): Promise<ReplicaPair> {
  const bed = await kafkaTestbed(label);
  const producer = await typedProducer(bed);
  const env = isolatedEnv(bed.prefix, settings);
  const gateways: ServiceProcess[] = [];
  const sockets: ClientSocket[] = [];
  const close = async () => {
    for (const s of sockets) s.close();
    for (const g of gateways) await g.stop();
    await producer.disconnect();
    await bed.close();
  };
  try {
    for (let i = 0; i < 2; i++) gateways.push(await startService('gateway', env));
  } catch (err) {
    await close();
    throw err;
  }
  return {
    producer,
    g1: `http://127.0.0.1:${gateways[0]!.port}`,
    g2: `http://127.0.0.1:${gateways[1]!.port}`,
    sockets,
    close,
  };
}
