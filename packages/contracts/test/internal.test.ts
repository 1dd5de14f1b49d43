import { modelInfoSchema, modelRecordSchema, placedOrderSchema } from '../src';

describe('internal API wire types', () => {
  it("a placed order carries its ids and its terms as numbers, as a retry's terms are compared", () => {
    const order = {
      order_id: 'o1',
      command_id: 'c1',
      symbol: 'AAPL',
      side: 'BUY',
      qty: 5,
      order_type: 'LIMIT',
      time_in_force: 'DAY',
      limit_price: 101.5,
      stop_price: null,
    };
    expect(placedOrderSchema.parse(order)).toEqual(order);
    // Postgres numerics arrive as strings: the order service must convert them first.
    expect(placedOrderSchema.safeParse({ ...order, qty: '5' }).success).toBe(false);
    expect(placedOrderSchema.safeParse({ ...order, command_id: undefined }).success).toBe(false);
  });

  it("a model record is the REST ModelInfo without the gateway's signal band", () => {
    const score = { accuracy: 0.56, balancedAccuracy: 0.55 };
    const record = {
      version: 'rf-1',
      horizonBars: 5,
      heldOut: { rows: 10, model: score, baselines: { majority: score, previousDirection: score } },
      beatsBaselines: true,
    };
    expect(modelRecordSchema.parse(record)).toEqual(record);
    expect(modelInfoSchema.parse({ ...record, signalBand: 0.05 })).toEqual({ ...record, signalBand: 0.05 });
    expect(modelRecordSchema.safeParse({ ...record, horizonBars: 1.5 }).success).toBe(false);
  });
});
