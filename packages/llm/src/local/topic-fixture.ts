import type { LabeledText } from "./text-classifier";

// A hand-written four-topic corpus for tests: ten training and three held-out sentences per topic.
const topic = (label: string, texts: string[]): LabeledText[] => texts.map((text) => ({ text, label }));

export const TOPIC_TRAIN: LabeledText[] = [
  ...topic("Sports", [
    "The striker scored twice as the home team won the football match",
    "The coach praised the goalkeeper after the team won the cup final",
    "Tennis champion wins the open final in straight sets",
    "The basketball team lost the game in overtime despite the star player",
    "Olympic sprinter breaks the world record in the final race",
    "The football club signed a new striker before the season",
    "Fans cheered as the team scored a late goal to win the league",
    "The golfer won the tournament with a birdie on the final hole",
    "The coach was sacked after the team lost five games in a row",
    "The cricket captain scored a century to win the match",
  ]),
  ...topic("Business", [
    "Shares rose after the bank reported higher quarterly profit",
    "The company cut jobs as quarterly profit fell on weak sales",
    "Oil prices climbed and stocks fell on the market",
    "The retailer reported strong sales and raised its profit forecast",
    "Investors sold shares as the bank warned of lower earnings",
    "The central bank raised interest rates to curb inflation",
    "The airline posted a quarterly loss as fuel prices rose",
    "The merger of the two banks was approved by shareholders",
    "The market rallied as investors bought shares of the carmaker",
    "The company reported revenue growth and a record profit",
  ]),
  ...topic("Sci/Tech", [
    "The software company released a new version of its operating system",
    "Researchers developed a faster computer chip for mobile phones",
    "The new smartphone has a better camera and a longer battery life",
    "Hackers exploited a security flaw in the web browser software",
    "Scientists launched a space telescope to study distant galaxies",
    "The internet search engine added new features for users",
    "The chip maker unveiled a processor for laptops and servers",
    "A software update fixes a security bug in the phone",
    "Researchers used a computer model to study the climate",
    "The space agency launched a rocket carrying a satellite",
  ]),
  ...topic("World", [
    "The president met the prime minister to discuss the peace talks",
    "Troops were deployed after violence erupted in the capital",
    "Voters went to the polls in the presidential election",
    "The government declared a state of emergency after the earthquake",
    "Rebels attacked a military convoy near the border",
    "The foreign minister called for a ceasefire in the region",
    "Thousands protested against the government in the capital",
    "The united nations sent aid to refugees after the floods",
    "The parliament passed a law after a long political debate",
    "Police arrested suspects after a bomb exploded in the city",
  ]),
];

export const TOPIC_HELD_OUT: LabeledText[] = [
  ...topic("Sports", [
    "The team won the final after the striker scored a goal",
    "The tennis player lost the match in the final set",
    "The coach and the players celebrated the league title",
  ]),
  ...topic("Business", [
    "The bank reported lower profit and its shares fell",
    "Stocks rallied as oil prices fell and investors bought shares",
    "The company raised its sales forecast after strong quarterly earnings",
  ]),
  ...topic("Sci/Tech", [
    "The phone maker released a software update for its new smartphone",
    "Scientists used a telescope launched into space to study a galaxy",
    "A security flaw in the browser let hackers attack computer users",
  ]),
  ...topic("World", [
    "The prime minister called for peace talks with the rebels",
    "Troops fired on protesters in the capital after the election",
    "Aid reached refugees after the earthquake hit the region",
  ]),
];
