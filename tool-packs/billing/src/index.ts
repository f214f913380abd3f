// Filled in by its issue; kept so the workspace type-checks.
export const PACKAGE_STATUS = "in development" as const;
