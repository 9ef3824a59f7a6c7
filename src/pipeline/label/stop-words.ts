/**
 * Words that never make a label: common English function words, and the boilerplate of research
 * abstracts ("we propose a novel approach…", "state-of-the-art results") that says nothing about a topic.
 */

const ENGLISH = `a about above across after again against all almost along also although always am among an and
another any anyone anything are around as at be became because become becomes been before being below
between both but by can cannot could did do does doing done down during each either else enough etc even
ever every few for from further furthermore had has have having he her here hers herself him himself his
how however i if in into is it its itself just least less let like made make makes making many may me
might more moreover most mostly much must my myself namely neither never nevertheless no nor not now of
off often on once one only onto or other others otherwise our ours ourselves out over own per perhaps
rather same several shall she should since so some such than that the their theirs them themselves then
there thereby therefore these they this those though three through throughout thus to together too toward
towards two under until up upon us very via was we well were what whatever when where whereas whether
which while who whom whose why will with within without would yet you your yours yourself yourselves`;

/** Academic boilerplate: exported so tests can check that no label ever contains one of these. */
export const BOILERPLATE_WORDS: readonly string[] =
  `ability able accuracy achieve additional achieved achieves
achieving address addresses addressing al allow allows  approach approaches art available based
  better challenge challenges challenging  certain compared comparison competitive complex crucial
comprehensive conduct conducted consider considered considering contribution contributions current
currently demonstrate demonstrated demonstrates demonstrating denoted describe described  designed
despite different effective effectively effectiveness efficacy enable enables essential et evaluate evaluated
 existing experiment experimental experiments explore explicitly explored extensive extensively find
finding findings first focus framework frameworks further furthermore future given good great help high
highly however   ie eg improve improved improvement improvements improves improving include
includes including increase increasing introduce introduced introduces issue issues key known large
largely leading lead leads leverage leverages leveraging limited literature lot main mainly method multiple
methodology methods moreover namely need needs new notably novel numerous obtain obtained offer offers
outperform outperforming outperforms overall paper papers particular particularly performance perform
performed performing performs possible potential present presented presents previous previously problem
problems promising propose proposed proposes proposing provide provided provides providing publicly
 recent recently related release released remains report reported require requires research
result results reveal reveals second section set several show showed showing shown shows
significant significantly similar simple simply solution solutions solve solves solving sota specific specifically standard state
state-of-the-art still strong studied studies study substantial substantially subsequent successfully suggest superior
surpass surpasses task tasks technique techniques terms the-art therefore third towards two typically
unlike use used uses useful using usually various way ways well wide widely work works`
    .split(/\s+/)
    .filter(Boolean);

/** Boilerplate phrases whose words are only boilerplate together (checked on two-word terms). */
export const BOILERPLATE_PHRASES: readonly string[] = [
  'state of the art',
  'et al',
  'we propose',
  'this paper',
  'this work',
  'real world',
  'end to end',
  'large scale',
  'wide range',
  'case study',
  'open source',
  'public datasets',
  'public dataset',
  'publicly available',
  'extensive experiments',
  'experimental results',
  'core idea',
  'key idea',
  'main idea',
  'key insight',
  'key insights',
];

export const STOP_WORDS: ReadonlySet<string> = new Set([
  ...ENGLISH.split(/\s+/).filter(Boolean),
  ...BOILERPLATE_WORDS,
  // Parts of boilerplate phrases: harmless alone, noise in labels.
  'real-world',
  'end-to-end',
  'large-scale',
  'wide-range',
]);

/**
 * Words too general to stand alone in a label ("learning", "data"), though they make good phrases
 * ("deep learning", "tabular data"): kept in phrases and keyword lists, never a label term on their own.
 */
export const GENERIC_WORDS: ReadonlySet<string> = new Set(
  `algorithm algorithms application applications architecture architectures dataset datasets data deep
  dense domain domains efficient feature features hard inference information input inputs intermediate knowledge
  language large last learning level linking lower model models named network networks neural number objective output outputs pairs
  parallel parameter parameters predict process public rate representation representations scale
  semantic setting settings size small space sparse system systems technical textual training type types
  aspect aspects case cases complement effect effects form idea ideas insight insights issue issues kind
  need needs order part parts point points role step steps support term terms way ways`
    .split(/\s+/)
    .filter(Boolean),
);
