/** GB/T 2260 codes of the cities Ordo ships policy for. */
export const CITY_CODES = ["110000", "310000", "440100", "440300", "330100", "510100"] as const;
export const citySchema = { type: "string", pattern: "^\\d{6}$", title: "City (GB/T 2260)" } as const;
