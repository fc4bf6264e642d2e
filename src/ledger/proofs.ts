/** An RFC 9162 inclusion proof of one entry against a kept, signed checkpoint. Hashes are standard base64. */
export interface InclusionProof {
  origin: string;
  index: number;
  treeSize: number;
  leafHash: string;
  proof: string[];
  /** The signed checkpoint (C2SP signed note) at `treeSize`, whose root the proof leads to. */
  checkpoint: string;
}

/** An RFC 9162 consistency proof between two kept, signed checkpoints. */
export interface ConsistencyProof {
  origin: string;
  size1: number;
  size2: number;
  proof: string[];
  checkpoint1: string;
  checkpoint2: string;
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
