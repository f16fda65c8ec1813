// The custom messages between the NetLens client and server (method prefix `netlens/`): one typed
// constant per method with its parameter and result types. Imported by the client, the server's
// handlers and the tests; it imports nothing of either side (protocol/tsconfig.json enforces it).
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface Location {
  uri: string;
  range: Range;
}

/** netlens/status: what the status item shows. */
export const StatusRequest = new RequestType0<StatusResult, void>('netlens/status');
export interface StatusResult {
  indexing: boolean;
  /** "Indexing 120/500" while indexing */
  progress?: string;
  version: number;
  files: number;
  workloads: number;
  policies: number;
  services: number;
  /** counts of the workspace's findings, after the user's severity settings */
  findings: { error: number; warning: number; info: number };
  /** false while the findings of a changed workspace are being counted (in the background): the counts are the previous ones */
  findingsUpToDate: boolean;
  cni: { plugin: string; enforcesPolicy: boolean; origin: string } | null;
  clusterDomain: { domain: string; origin: string };
  hostNetwork: 'node' | 'pod';
  skipped: number;
  /** the last full indexing: files read, how many came from the persisted index, milliseconds */
  lastIndex?: { files: number; reused: number; ms: number };
  /**
   * whether the workspace holds Kubernetes content (a file on disk or an open document with apiVersion
   * and kind lines, a Corefile or a CNI config): without it the client shows no status item and no views
   */
  kubernetes: boolean;
  /** whether the editor trusts the workspace (netlens/workspaceTrust): Helm charts are rendered only then (always sent by this server) */
  workspaceTrusted?: boolean;
  /** the analysis scope every answer is in (`loose` when the workspace has no kustomization or chart) */
  scope: string;
  /** how many scopes the workspace has */
  scopeCount: number;
  /** the active scope's name from the scope configuration, when it has one */
  scopeName?: string;
}

/** One analysis scope: a Kustomize overlay, a Helm chart with a values file, or the loose files. */
export interface ScopeSummary {
  id: string;
  kind: 'kustomize' | 'helm' | 'loose';
  /** the overlay's or chart's folder (a path) */
  root: string;
  /** how many files its objects come from */
  files: number;
  /** the name `.netlens.yaml` or the netlens.scopes setting gives it */
  name?: string;
}

/** netlens/scopes: the workspace's scopes and the active one. */
export const ScopesRequest = new RequestType0<ScopesResult, void>('netlens/scopes');
export interface ScopesResult {
  scopes: ScopeSummary[];
  active: string;
}

/** netlens/setScope: make a scope the active one; the answer is the scopes after the rebuild. */
export const SetScopeRequest = new RequestType<SetScopeParams, ScopesResult, void>('netlens/setScope');
export interface SetScopeParams {
  id: string;
}

/** netlens/scopesOf: the scopes whose files include a document (for following the editor). */
export const ScopesOfRequest = new RequestType<ScopesOfParams, string[], void>('netlens/scopesOf');
export interface ScopesOfParams {
  uri: string;
}

/** netlens/findingsCounted (server -> client notification): the findings of snapshot `version` are all counted. */
export const FindingsCountedNotification = new NotificationType<IndexChangedParams>('netlens/findingsCounted');

/**
 * netlens/workspaceTrust (client -> server notification): the workspace's trust changed (VS Code can
 * only grant it during a session). The initial value is initializationOptions.workspaceTrusted; a client
 * that sends neither is untrusted: helm (which runs a chart's templates) is then never run.
 */
export const WorkspaceTrustNotification = new NotificationType<WorkspaceTrustParams>('netlens/workspaceTrust');
export interface WorkspaceTrustParams {
  trusted: boolean;
}

/**
 * netlens/headChanged (server -> client notification): git HEAD of a workspace folder may name another
 * commit (a commit, a checkout, `git init`): the answers compared with HEAD (netlens/changes) are stale.
 */
export const HeadChangedNotification = new NotificationType<Record<string, never>>('netlens/headChanged');

/** netlens/indexChanged (server -> client notification): a new snapshot is ready. */
export const IndexChangedNotification = new NotificationType<IndexChangedParams>('netlens/indexChanged');
export interface IndexChangedParams {
  version: number;
}

/**
 * netlens/indexSaved (server -> client notification): the save of the persisted index (in
 * initializationOptions.storagePath) that follows the initial indexing has finished. Sent once per
 * start, after the status has `lastIndex`, also when nothing was written (no storagePath: `written`
 * false; a failed save or indexing: `error`). Once it is sent, index.json is complete; a shutdown
 * request is answered only after a save in flight has finished.
 */
export const IndexSavedNotification = new NotificationType<IndexSavedParams>('netlens/indexSaved');
export interface IndexSavedParams {
  /** true when index.json was written */
  written: boolean;
  /** file models written (with `unchanged`: the files index.json holds) */
  files: number;
  /** index.json already held every file's model as indexed (a warm start that reused them all): not written again */
  unchanged?: true;
  error?: string;
}

export interface WorkloadSummary {
  id: string;
  kind: string;
  name: string;
  namespace: string;
  labels: Record<string, string>;
  hostNetwork: boolean;
  location: Location;
}

/** netlens/namespaces: the tree's roots. */
export const NamespacesRequest = new RequestType0<NamespacesResult, void>('netlens/namespaces');
export interface NamespaceSummary {
  name: string;
  declared: boolean;
  labels: Record<string, string>;
  location?: Location;
  workloads: WorkloadSummary[];
}
export interface NamespacesResult {
  version: number;
  namespaces: NamespaceSummary[];
}

export interface PeerConnection {
  /** the other workload */
  workload: WorkloadSummary;
  /** np-guard style: "All Connections" or "TCP 80,UDP 53" */
  ports: string;
  /** true when everything is allowed */
  all: boolean;
  /** the policy layers that decided it ("Calico tier security + NetworkPolicy"), when layers besides NetworkPolicy are in play */
  decidedBy?: string;
}

/** netlens/workload: one workload's reachability and the policies selecting it. */
export const WorkloadRequest = new RequestType<WorkloadParams, WorkloadResult, void>('netlens/workload');
export interface WorkloadParams {
  id: string;
}
export interface WorkloadResult {
  workload: WorkloadSummary;
  canReach: PeerConnection[];
  reachableFrom: PeerConnection[];
  policies: { id: string; directions: ('Ingress' | 'Egress')[]; location: Location }[];
  isolated: { ingress: boolean; egress: boolean };
  services: { id: string; fqdn: string; location: Location }[];
}

export interface RuleSummary {
  direction: 'Ingress' | 'Egress';
  index: number;
  /** "from: namespaceSelector team=a AND podSelector app=b; ipBlock 10.0.0.0/8" or "every peer" */
  peers: string[];
  /** "TCP 80", "all ports" */
  ports: string;
  location: Location;
}

/** netlens/policies: every NetworkPolicy with what it selects and its rules. */
export const PoliciesRequest = new RequestType0<PoliciesResult, void>('netlens/policies');
export interface PolicySummary {
  id: string;
  name: string;
  namespace: string;
  policyTypes: ('Ingress' | 'Egress')[];
  podSelector: string;
  selected: WorkloadSummary[];
  rules: RuleSummary[];
  location: Location;
}
export interface PoliciesResult {
  version: number;
  policies: PolicySummary[];
}

/** netlens/query: can a workload reach a workload, DNS name or IP? */
/** The protocols a query can ask about (NetworkPolicy's). */
export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export const QueryRequest = new RequestType<QueryParams, QueryResultDto, void>('netlens/query');
export interface QueryParams {
  from: string;
  to: string;
  port?: number;
  protocol?: (typeof PROTOCOLS)[number];
}
export interface QueryStepDto {
  kind: string;
  text: string;
  location?: Location;
}
export interface QueryResultDto {
  from: string;
  to: string;
  port: number | null;
  protocol: string;
  outcome: 'allowed' | 'blocked' | 'nxdomain' | 'no-endpoints' | 'dns-blocked';
  resolvedTo: unknown;
  steps: QueryStepDto[];
  /** the answer in one sentence a person would say: "allowed on TCP 7070", "blocked: no rule allows it at ..." */
  verdict: string;
  /** the report as plain text (highlighted by the netlens-report grammar) */
  report: string;
}

/** netlens/resolve: the names a pod's resolver tries and the answer. */
export const ResolveRequest = new RequestType<ResolveParams, ResolveResultDto, void>('netlens/resolve');
export interface ResolveParams {
  from: string;
  name: string;
}
export interface ResolveResultDto {
  from: string;
  query: string;
  tried: { name: string; rcode: string; external?: boolean }[];
  answer: { fqdn: string; type: string; target: string; endpoints: string[] } | null;
  rcode: string;
  searches: string[];
  ndots: number;
  notes: string[];
  /** as the pod gets it: dns-blocked when a policy blocks its queries to the cluster DNS pods */
  outcome: 'resolved' | 'nxdomain' | 'upstream' | 'dns-blocked';
  /** the DNS traffic check (status allowed | blocked | skipped | not-cluster-dns; assumed: the standard CoreDNS pods stood in) */
  dnsTraffic: {
    status: string;
    assumed: boolean;
    dnsPods: string[];
    direction?: string;
    policies?: string[];
    source?: string;
    text: string;
  };
  report: string;
}

/** netlens/matrix: the whole matrix, compact (indexes into `workloads`). */
/**
 * netlens/matrix: the matrix in pages of whole rows. The first page (fromRow 0) lists the workloads;
 * while `nextRow` is set, ask for the next page with it and the first page's `version` (a page of a
 * snapshot that is gone is refused with ContentModified).
 */
export const MatrixRequest = new RequestType<MatrixParams | undefined, MatrixResult, void>('netlens/matrix');
/** cells per page, at most and by default */
export const MATRIX_MAX_CELLS = 100_000;
export interface MatrixParams {
  /** first row (workload index) of the page; default 0 */
  fromRow?: number;
  /** the page ends at the first row boundary at or after this many cells (1..MATRIX_MAX_CELLS) */
  maxCells?: number;
  /** the version of the first page (for the following pages) */
  version?: number;
}
export interface MatrixResult {
  version: number;
  /** every workload, on the first page only (empty on the following pages) */
  workloads: { id: string; namespace: string; name: string; kind: string; location: Location }[];
  /** [fromIndex, toIndex, ports text, all allowed ? 1 : 0] for every pair with something allowed, of the page's rows */
  cells: [number, number, string, number][];
  /** the row the next page starts at; absent on the last page */
  nextRow?: number;
}

/** netlens/explainAt: what the cursor is on (workload, policy, host reference) and its explanation. */
export const ExplainAtRequest = new RequestType<ExplainAtParams, ExplainAtResult, void>('netlens/explainAt');
export interface ExplainAtParams {
  uri: string;
  position: Position;
}
export interface ExplainAtResult {
  /** the workload whose definition contains the position, if any */
  workload?: string;
  /** the policy whose definition contains the position, if any */
  policy?: string;
  /** a connection implied at the position (a host reference), with its query */
  query?: QueryResultDto;
}

/**
 * netlens/graph: who talks to whom (the graph view): workloads grouped by namespace, external ranges and
 * external DNS names as nodes, allowed connections as edges with their ports and verdict. Filtered to a
 * namespace or a workload and its peers; merged into one node per namespace above `aggregateAbove` workloads.
 */
export const GraphRequest = new RequestType<GraphParams, GraphResult, void>('netlens/graph');
export interface GraphParams {
  namespace?: string;
  workload?: string;
  /** default 150 */
  aggregateAbove?: number;
}
export interface GraphNodeDto {
  /** a workload id, `namespace:<name>`, `external:<range>` or `dns:<name>` */
  id: string;
  kind: 'workload' | 'namespace' | 'external' | 'dns';
  label: string;
  namespace?: string;
  workloadKind?: string;
  workloads?: number;
  internal?: number;
  location?: Location;
}
export interface GraphEdgeDto {
  from: string;
  to: string;
  /** "TCP 7070", "all ports" */
  label: string;
  all: boolean;
  /** "allowed on TCP 7070 only" */
  verdict: string;
  pairs: number;
  port?: number;
  /** between merged namespaces or to an address range: the workload pair (or workload and address) a query explains */
  example?: { from: string; to: string };
}
export interface GraphResult {
  version: number;
  nodes: GraphNodeDto[];
  edges: GraphEdgeDto[];
  aggregated: boolean;
  workloadCount: number;
  namespaces: string[];
}

/** netlens/changes: the connectivity diff of the working state (unsaved buffers included) against git HEAD. */
export const ChangesRequest = new RequestType0<ChangesResult, void>('netlens/changes');
export type ChangeCategory = 'changed' | 'added' | 'removed';
export interface ChangeEnd {
  /** a workload id, an IP range, or a DNS name with its port */
  id: string;
  kind: 'workload' | 'external' | 'name';
  /** the workload exists in one version only */
  workload?: 'added' | 'removed';
}
export interface ChangeCauseDto {
  text: string;
  /** in the working state; absent for what HEAD holds and the change removed */
  location?: Location;
}
export interface ChangeEntryDto {
  category: ChangeCategory;
  /** the namespace the entry is grouped under (its workload end's) */
  namespace: string;
  source: ChangeEnd;
  destination: ChangeEnd;
  /** "TCP 80 -> TCP 80,443" */
  ports: string;
  /** the two sides of `ports`: HEAD's ("TCP 80", "No Connections") and the working state's ("TCP 80,443") */
  before: string;
  after: string;
  causes: ChangeCauseDto[];
}
export interface ChangeExposureDto {
  workload: string;
  direction: 'ingress' | 'egress';
  /** np-guard's text of the peer ("entire-cluster", "[namespace with {team=a}]/[all pods]", "0.0.0.0-255.255.255.255") */
  peer: string;
  /** for people: "ingress from every pod of the cluster (entire-cluster)" */
  what: string;
  /** "No Connections -> TCP 8080" (HEAD -> working state) */
  ports: string;
  why: string;
  location: Location;
}
export interface ChangesResult {
  version: number;
  /** false: nothing to compare with (no git repository, untrusted workspace, git missing); `reason` says why */
  available: boolean;
  reason?: string;
  /** HEAD's commits (one per workspace folder in git) */
  commits: string[];
  entries: ChangeEntryDto[];
  /** what the change newly opens to pods or addresses outside the manifests (rule newly-exposed, docs/rules.md) */
  exposed: ChangeExposureDto[];
}
