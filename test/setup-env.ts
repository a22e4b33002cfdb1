// Tests never read the developer's .env; give them a fixed, test-only secret.
process.env.AUTH_SECRET ??= "test-only-secret-test-only-secret-0123456789";
