// A small finance/news lexicon written for this package. Three kinds of word, because in financial text the
// polarity of "fell" depends on what fell: "loss fell" is good news, "sales fell" is bad.

const words = (list: string) => list.trim().split(/\s+/);
const scored = (list: string, score: number) => words(list).map((word) => [word, score] as const);

/** Words that are good or bad news on their own. */
export const SENTIMENT_WORDS: ReadonlyMap<string, number> = new Map([
  ...scored(
    `strong stronger strongest robust solid good better best excellent positive favourable favorable optimistic
     success successful successfully succeed win wins won winning award awarded agreement record beat beats
     improve improves improved improving improvement recover recovered recovery rebound rebounded boost boosted
     upgrade upgraded outperform outperformed exceed exceeded exceeds healthy profitable profitability benefit
     benefits benefited opportunity opportunities advance advanced breakthrough expand expanded expansion
     strengthen strengthened strengthens confident confidence attractive gain gains gained efficient innovative
     leading leader boom booming surge surged soar soared rally rallied upbeat`,
    1,
  ),
  ...scored(
    `weak weaker weakest poor worse worst negative unfavourable unfavorable pessimistic fail fails failed failure
     lose loses losing lost layoff layoffs lay laid redundancies bankrupt bankruptcy insolvency default defaulted
     downgrade downgraded underperform miss missed warning warned warns concern concerns worried worries risk
     risks crisis slump slumped plunge plunged plummet plummeted tumble tumbled collapse collapsed slowdown
     recession difficult difficulties problem problems dispute lawsuit fraud fine fined penalty cut cuts cutting
     shutdown closure close closing closed terminate terminated dismissed impairment writedown write-down
     adverse hurt damage damaged volatile uncertainty uncertain struggle struggling deteriorate deteriorated
     decline declined declines declining drop dropped fall fell falling`,
    -1,
  ),
]);

/** Words that say which way an amount moved: +1 more, -1 less. */
export const DIRECTION_WORDS: ReadonlyMap<string, number> = new Map([
  ...scored(
    `rise rises rose risen rising increase increases increased increasing grow grows grew grown growing growth up
     higher high climb climbed climbs gain gained gains jump jumped jumps surge surged soar soared double doubled
     expand expanded widen widened widening boost boosted improve improved raise raised`,
    1,
  ),
  ...scored(
    `fall falls fell fallen falling decrease decreased decreases decreasing decline declined declines declining
     drop dropped drops down lower low slip slipped slips slump slumped plunge plunged shrink shrank shrunk narrow
     narrowed narrowing reduce reduced reduction cut cuts dip dipped tumble tumbled weaken weakened halved`,
    -1,
  ),
]);

/** Amounts whose growth is good news (+1) or bad news (-1). */
export const QUANTITY_WORDS: ReadonlyMap<string, number> = new Map([
  ...scored(
    `profit profits sales revenue revenues earnings income ebit ebitda eps margin margins orders order demand
     turnover dividend dividends share shares price prices value output production productivity capacity
     market customers deliveries volume volumes result results cash return returns`,
    1,
  ),
  ...scored(
    `loss losses cost costs expense expenses debt debts deficit unemployment charges charge liabilities
     impairments inventories provisions`,
    -1,
  ),
]);

/** Words that flip the polarity of what follows them. */
export const NEGATIONS: ReadonlySet<string> = new Set(words("not no never without nor neither cannot none"));

/** Words that strengthen the next sentiment. */
export const INTENSIFIERS: ReadonlySet<string> = new Set(
  words("very significantly sharply strongly substantially considerably markedly highly greatly"),
);
