// The browser build of jsonexport (react-admin's own exporter uses it too) has the package's types.
declare module "jsonexport/dist" {
  import jsonexport from "jsonexport";
  export default jsonexport;
}
