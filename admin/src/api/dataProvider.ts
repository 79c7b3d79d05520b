import type { DataProvider } from "react-admin";
import { API, httpClient } from "./http";
import { createDataProvider } from "./pagedDataProvider";

export const dataProvider: DataProvider = createDataProvider(API, httpClient);
