/** The health ports of `npm run up`'s services: gateway, ingest, features, inference, orders. */
export const HEALTH_PORTS = [8080, 9101, 9102, 9103, 9105];

/** Whether any service of a local stack (`npm run up`, a developer's) answers /healthz. */
export async function anyHealthy(): Promise<boolean> {
  const answers = await Promise.all(
    HEALTH_PORTS.map((p) =>
      fetch(`http://127.0.0.1:${p}/healthz`).then(
        (r) => r.ok,
        () => false,
      ),
    ),
  );
  return answers.some(Boolean);
}
