import simpleRestProvider from "ra-data-simple-rest";
import { API, httpClient } from "./http";

/** Unmodified ra-data-simple-rest; auth and tenant headers come from httpClient. */
export const dataProvider = simpleRestProvider(API, httpClient);
