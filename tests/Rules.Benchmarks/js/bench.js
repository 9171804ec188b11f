// The 20-rule fuel-limit policy in json-rules-engine, over the same generated inputs as the C# benchmark.
// Usage: node bench.js <count> <seed>  -> prints one JSON line: { count, seconds, successes: { rule: n } }
'use strict';
const { Engine } = require('json-rules-engine');

const PRODUCT_LISTS = [['Diesel', 'AdBlue'], ['Petrol'], ['Diesel', 'Petrol', 'AdBlue']];
const PRODUCTS = ['Diesel', 'Petrol', 'AdBlue'];
const COUNTRIES = ['BE', 'NL', 'LU', 'FR', 'DE', 'ES', 'IT'];

// xorshift32, identical to FuelInputs.cs so both engines see the same inputs.
function generator(seed) {
  let x = seed >>> 0;
  return (n) => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x % n;
  };
}

function generate(count, seed) {
  const r = generator(seed);
  const inputs = new Array(count);
  for (let i = 0; i < count; i++) {
    const card = {};
    card.status = r(10) === 0 ? 'Suspended' : 'Active';
    card.blocked = r(20) === 0;
    card.products = PRODUCT_LISTS[r(3)];
    card.dailyLiters = 50 + r(200);
    card.maxTransactionAmount = 100 + r(300);
    card.monthRemaining = r(2000);
    card.fromHour = r(8);
    card.toHour = 18 + r(6);
    card.weekendAllowed = r(2) === 0;
    card.lastOdometer = 10000 + r(200000);
    card.tankSize = 40 + r(160);
    card.driverCode = 1000 + r(9000);
    card.blockedStations = [r(500), r(500)];
    card.fillsToday = r(7);
    card.expiryYear = 2024 + r(5);
    const fill = {};
    fill.product = PRODUCTS[r(3)];
    fill.liters = 1 + r(220);
    const priceCents = 90 + r(220);
    fill.pricePerLiter = priceCents / 100;
    fill.amount = (fill.liters * priceCents) / 100;
    fill.hour = r(24);
    fill.weekday = 1 + r(7);
    fill.country = COUNTRIES[r(7)];
    fill.odometer = card.lastOdometer + r(2500) - 100;
    fill.distance = fill.odometer - card.lastOdometer;
    fill.driverCode = r(10) === 0 ? 1000 + r(9000) : card.driverCode;
    fill.stationId = r(500);
    inputs[i] = { card, fill };
  }
  return inputs;
}

const f = (fact, path, operator, value) => ({ fact, path: '$.' + path, operator, value });
const other = (fact, path) => ({ fact, path: '$.' + path });

const RULES = {
  CardActive: { all: [f('card', 'status', 'equal', 'Active')] },
  NotBlocked: { all: [f('card', 'blocked', 'equal', false)] },
  ProductAllowed: { all: [f('card', 'products', 'contains', other('fill', 'product'))] },
  WithinDailyLiters: { all: [f('fill', 'liters', 'lessThanInclusive', other('card', 'dailyLiters'))] },
  WithinTransactionAmount: { all: [f('fill', 'amount', 'lessThanInclusive', other('card', 'maxTransactionAmount'))] },
  WithinMonthlyAmount: { all: [f('fill', 'amount', 'lessThanInclusive', other('card', 'monthRemaining'))] },
  WithinHours: { all: [f('fill', 'hour', 'greaterThanInclusive', other('card', 'fromHour')), f('fill', 'hour', 'lessThan', other('card', 'toHour'))] },
  CountryAllowed: { all: [f('fill', 'country', 'in', ['BE', 'NL', 'LU', 'FR', 'DE'])] },
  WeekendAllowed: { any: [f('card', 'weekendAllowed', 'equal', true), f('fill', 'weekday', 'lessThan', 6)] },
  OdometerIncreasing: { all: [f('fill', 'odometer', 'greaterThan', other('card', 'lastOdometer'))] },
  DistancePlausible: { all: [f('fill', 'distance', 'lessThan', 2000)] },
  FitsTank: { all: [f('fill', 'liters', 'lessThanInclusive', other('card', 'tankSize'))] },
  PriceSane: { all: [f('fill', 'pricePerLiter', 'greaterThanInclusive', 1.0), f('fill', 'pricePerLiter', 'lessThanInclusive', 3.0)] },
  DriverCodeMatches: { all: [f('fill', 'driverCode', 'equal', other('card', 'driverCode'))] },
  StationAllowed: { all: [f('card', 'blockedStations', 'doesNotContain', other('fill', 'stationId'))] },
  FewFillsToday: { all: [f('card', 'fillsToday', 'lessThan', 5)] },
  AdBlueSmall: { any: [f('fill', 'product', 'notEqual', 'AdBlue'), f('fill', 'liters', 'lessThanInclusive', 50)] },
  CardNotExpired: { all: [f('card', 'expiryYear', 'greaterThanInclusive', 2026)] },
  AmountPositive: { all: [f('fill', 'amount', 'greaterThan', 0)] },
  LitersWithinPump: { all: [f('fill', 'liters', 'greaterThan', 0), f('fill', 'liters', 'lessThanInclusive', 200)] },
};

async function main() {
  const count = parseInt(process.argv[2] || '1000000', 10);
  const seed = parseInt(process.argv[3] || '20261121', 10);
  const inputs = generate(count, seed);
  const engine = new Engine([], { allowUndefinedFacts: false });
  for (const [name, conditions] of Object.entries(RULES)) {
    engine.addRule({ name, conditions, event: { type: name } });
  }
  const successes = Object.fromEntries(Object.keys(RULES).map((k) => [k, 0]));
  const started = process.hrtime.bigint();
  for (const input of inputs) {
    const { results } = await engine.run(input);
    for (const result of results) successes[result.name]++;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(JSON.stringify({ count, seconds, successes }) + '\n');
}

main().catch((e) => { console.error(e); process.exit(1); });
