// One registered model, as the tests of the model APIs write it (the registry's `metrics`) and as
// those APIs answer it (ModelInfo): the gateway's /api/ml/models and inference's internal API.

/** One pooled score row of a model's held-out evaluation. */
const heldOutScore = (accuracy: number, balancedAccuracy: number) => ({
  n: 1000,
  positiveRate: 0.5,
  accuracy,
  balancedAccuracy,
  auc: 0.55,
  logLoss: 0.69,
  brier: 0.25,
});

/** The evaluation of a model that beats both baselines on 1000 held-out rows. */
export const BEATING_METRICS = {
  pooled: {
    model: heldOutScore(0.56, 0.55),
    majority: heldOutScore(0.51, 0.5),
    previousDirection: heldOutScore(0.52, 0.515),
  },
  promotion: { promote: true, forced: false, reasons: [] },
  heldOutRows: 1000,
};

/** What the model APIs answer for BEATING_METRICS at a horizon of 5 bars (version aside). */
export const BEATING_HELD_OUT = {
  horizonBars: 5,
  heldOut: {
    rows: 1000,
    model: { accuracy: 0.56, balancedAccuracy: 0.55 },
    baselines: {
      majority: { accuracy: 0.51, balancedAccuracy: 0.5 },
      previousDirection: { accuracy: 0.52, balancedAccuracy: 0.515 },
    },
  },
  beatsBaselines: true,
};
