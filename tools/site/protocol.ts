/** Messages between a notebook page and its Web Worker. Outputs are nbformat 4 output objects. */

export interface StreamOutput { output_type: "stream"; name: "stdout" | "stderr"; text: string }
export interface DisplayOutput { output_type: "display_data"; data: Record<string, unknown>; metadata: Record<string, unknown> }
export interface ErrorOutput { output_type: "error"; ename: string; evalue: string; traceback: string[] }
export type Output = StreamOutput | DisplayOutput | ErrorOutput;

export type PageToWorker =
  | { type: "init"; files: Record<string, string> }
  | { type: "run"; cell: number; source: string }
  | { type: "reply"; id: number; ok: boolean; value: unknown };

export type WorkerToPage =
  | { type: "ready"; ms: number }
  | { type: "output"; cell: number; output: Output; displayId?: string }
  | { type: "update"; cell: number; displayId: string; data: Record<string, unknown> }
  | { type: "done"; cell: number; ok: boolean; ms: number }
  | { type: "request"; id: number; what: "asset" | "svg"; arg: unknown }
  | { type: "file"; path: string; text: string }
  | { type: "store"; path: string; lines: string[] };
