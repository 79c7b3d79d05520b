import { PolicySet } from "./policy-set";
import { referenceTables } from "./reference";

let shipped: PolicySet | undefined;

/** The shipped reference data as a PolicySet, built on first use and shared afterwards. */
export function referencePolicySet(): PolicySet {
  shipped ??= new PolicySet(referenceTables);
  return shipped;
}
