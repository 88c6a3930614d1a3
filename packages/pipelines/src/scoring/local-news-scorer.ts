import type { Prediction, ResolvedScorer } from "./batch-scorer";

const LEXICON: Record<string, string[]> = {
  World: [
    "government",
    "minister",
    "president",
    "election",
    "war",
    "troops",
    "iraq",
    "un",
    "united nations",
    "talks",
    "peace",
    "military",
    "killed",
    "attack",
    "country",
    "prime",
    "capital",
    "border",
    "refugees",
    "embassy",
  ],
  Sports: [
    "game",
    "season",
    "team",
    "coach",
    "win",
    "won",
    "championship",
    "league",
    "cup",
    "match",
    "player",
    "score",
    "olympic",
    "tournament",
    "final",
    "victory",
    "goal",
    "baseball",
    "football",
    "soccer",
  ],
  Business: [
    "stocks",
    "shares",
    "profit",
    "market",
    "company",
    "oil",
    "prices",
    "economy",
    "bank",
    "earnings",
    "investors",
    "sales",
    "billion",
    "deal",
    "quarter",
    "percent",
    "trade",
    "revenue",
    "fed",
    "rates",
  ],
  "Sci/Tech": [
    "software",
    "internet",
    "computer",
    "microsoft",
    "google",
    "technology",
    "space",
    "nasa",
    "scientists",
    "research",
    "web",
    "online",
    "phone",
    "chip",
    "users",
    "data",
    "launch",
    "apple",
    "intel",
    "study",
  ],
};

function classify(text: string): Prediction {
  const words = ` ${text.toLowerCase().replace(/[^a-z0-9/ ]+/g, " ")} `;
  let best = "World";
  let bestHits = 0;
  let total = 0;
  for (const [label, terms] of Object.entries(LEXICON)) {
    const hits = terms.filter((term) => words.includes(` ${term} `)).length;
    total += hits;
    if (hits > bestHits) {
      best = label;
      bestHits = hits;
    }
  }
  return { label: best, score: total === 0 ? 0.25 : Math.round((bestHits / total) * 1000) / 1000 };
}

/**
 * The local default news classifier: a keyword lexicon over the AG News classes (World, Sports, Business,
 * Sci/Tech). It needs no download and no registry; used when no `@champion` exists, and the run says so.
 */
export function localNewsScorer(note?: string): ResolvedScorer {
  return {
    score: async (texts) => texts.map(classify),
    model: "local:keyword-news",
    version: "1",
    ...(note ? { note } : {}),
  };
}
