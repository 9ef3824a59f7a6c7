/** One paper of a corpus. `id` is the file's own id where it has one, else a stable hash of the text. */
export interface Paper {
  id: string;
  title: string;
  abstract: string;
  authors?: string[];
  year?: number;
  /** 1–12, where the file dates the paper to the month (ISO dates, arXiv listing dates). */
  month?: number;
  url?: string;
  categories?: string[];
  /** A note kept with the paper in the file it came from (BibTeX `annote`, RIS `N1`, a notes column). */
  note?: string;
  /** The file (or listing page) the paper came from. */
  source?: string;
}

/** The pipeline stages, in order; `AtlasStatus` adds the states around them. */
export const PIPELINE_STAGES = [
  'loading',
  'parsing',
  'embedding',
  'projecting',
  'clustering',
  'labelling',
] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];
export const ATLAS_STATUSES = ['idle', ...PIPELINE_STAGES, 'ready', 'error'] as const;
export type AtlasStatus = (typeof ATLAS_STATUSES)[number];

/** Progress of a long-running stage, posted from workers. */
export interface StageProgress {
  stage: PipelineStage;
  done: number;
  total: number;
  /** Items per second, where the stage counts items (documents, epochs). */
  rate?: number;
  /** Seconds until done, estimated. */
  etaSeconds?: number;
  message?: string;
  /** The file being read, where a stage reads several (parsing). */
  file?: string;
  /** An intermediate result (e.g. layout positions while UMAP converges); transferred, not copied. */
  snapshot?: Float32Array;
}

export type ProgressCallback = (progress: StageProgress) => void;

/** Options every cancellable, long-running compute call accepts. */
export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/**
 * The fewest papers laid out by kNN + UMAP and clustered. Below it there are no neighbourhoods to keep
 * and no groups to find, so one or two papers get a fixed layout and no clusters. (Here, not in map.ts,
 * so the page, which grows maps, does not load the map stages and their tagger.)
 */
export const SMALLEST_PROJECTED_MAP = 3;

/** The text a paper is embedded and labelled by. */
export function paperText(paper: Paper): string {
  return `${paper.title}. ${paper.abstract}`;
}
