export const TEST_ADMIN = { email: "admin@ordo.local", password: "test-admin-password" };
export { DEMO_USERS } from "../../server/seed";
