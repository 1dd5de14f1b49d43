// A null data set: daily bars of independent random walks (weekdays, a year of 252 bars ~ 365
// days), in the bars CSV format `npm run train -- --csv` reads. There is nothing to predict in
// them, so an honest evaluation of a model trained on them must find no edge: the pipeline's
// control experiment, next to real data.
//
//   node scripts/random-walk-bars.mjs --symbols AAA,BBB --days 2500 --vol 0.012 --seed 1 > bars.csv
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    symbols: { type: 'string', default: 'AAA,BBB,CCC,DDD,EEE' },
    days: { type: 'string', default: '2500' },
    vol: { type: 'string', default: '0.012' },
    seed: { type: 'string', default: '1' },
    start: { type: 'string', default: '2015-01-02' },
  },
});

// mulberry32, as the simulator and the forest use.
let state = Number(values.seed) >>> 0;
const uniform = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());

const vol = Number(values.vol);
const days = Number(values.days);
const DAY = 86_400_000;
const out = ['symbol,timestamp,open,high,low,close,volume'];
for (const symbol of values.symbols.split(',')) {
  let close = 100;
  let t = Date.parse(`${values.start}T05:00:00Z`);
  for (let d = 0; d < days; d++) {
    while ([0, 6].includes(new Date(t).getUTCDay())) t += DAY;
    // A small overnight gap, then the session in 8 steps: high and low are the path's extremes.
    let price = close * Math.exp(0.2 * vol * normal());
    const open = price;
    let [high, low] = [open, open];
    for (let k = 0; k < 8; k++) {
      price *= Math.exp((vol / Math.sqrt(8)) * normal());
      high = Math.max(high, price);
      low = Math.min(low, price);
    }
    close = price;
    const volume = Math.round(1e6 * (0.5 + uniform()));
    const f = (p) => p.toFixed(4);
    out.push([symbol, new Date(t).toISOString(), f(open), f(high), f(low), f(close), volume].join(','));
    t += DAY;
  }
}
process.stdout.write(`${out.join('\n')}\n`);
