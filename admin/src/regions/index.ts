export { RegionPolicyPage } from "./RegionPolicyPage";
