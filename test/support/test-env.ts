export const TEST_ADMIN = { email: 'admin@cpc.test', password: 'admin-password-123' };
