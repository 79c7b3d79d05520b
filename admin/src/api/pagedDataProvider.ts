import type { DataProvider, fetchUtils, GetListParams } from "react-admin";
import simpleRestProvider from "ra-data-simple-rest";

/** The server answers at most this many records a page. */
export const SERVER_PAGE = 1000;

/**
 * ra-data-simple-rest, unmodified for every call a screen makes; auth and tenant headers come from
 * httpClient. A list asked for more than a server page at once (the CSV export asks for everything) is
 * fetched page by page until the server has no more rows.
 */
export function createDataProvider(
  apiUrl: string,
  client: (url: string, options?: fetchUtils.Options) => Promise<{ json: unknown; headers: Headers }>,
): DataProvider {
  const rest = simpleRestProvider(apiUrl, client as Parameters<typeof simpleRestProvider>[1]);
  return {
    ...rest,
    async getList(resource: string, params: GetListParams) {
      const { page = 1, perPage = 25 } = params.pagination ?? {};
      if (perPage <= SERVER_PAGE) return rest.getList(resource, params);
      const data = [];
      let total: number | undefined;
      for (let start = (page - 1) * perPage; data.length < perPage; start += SERVER_PAGE) {
        const chunk = await rest.getList(resource, {
          ...params,
          pagination: { page: Math.floor(start / SERVER_PAGE) + 1, perPage: SERVER_PAGE },
        });
        data.push(...chunk.data);
        total = chunk.total;
        if (chunk.data.length < SERVER_PAGE) break;
      }
      return { data: data.slice(0, perPage), total: Math.max(total ?? 0, data.length) };
    },
  };
}
