/** What the Liquid editor offers for completion: the facts (with members) and the filters. */
export interface LiquidCatalogue {
  facts: Record<string, { type: string; doc?: string; members?: Record<string, { type: string; doc?: string }> }>;
  filters: string[];
}

export interface LiquidEditorProps {
  /** A unique model path, e.g. `reminder-templates/si-gap-options/body/zh-CN.liquid`. */
  path: string;
  value: string;
  onChange: (value: string) => void;
  catalogue: LiquidCatalogue;
  height?: number;
  readOnly?: boolean;
  error?: string;
}
