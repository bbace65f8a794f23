import type { DataSource } from 'typeorm';

/**
 * TypeScript source of a migration holding the SQL that TypeORM's schema builder would run to bring `dataSource`
 * (a PostgreSQL database already migrated to the current head) in line with the entities. '' when nothing differs.
 */
export async function generateMigrationSource(dataSource: DataSource, className: string): Promise<string> {
  if (!/^[A-Z][A-Za-z0-9]*\d{13}$/.test(className)) {
    throw new Error(`migration class name must be PascalCase ending in a 13-digit timestamp, got "${className}"`);
  }
  const log = await dataSource.driver.createSchemaBuilder().log();
  if (log.upQueries.length === 0) return '';
  const render = (queries: { query: string; parameters?: unknown[] }[]) =>
    queries
      .map((q) => {
        const sql = q.query.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
        const params = q.parameters?.length ? `, ${JSON.stringify(q.parameters)}` : '';
        return `    await queryRunner.query(\`${sql}\`${params});`;
      })
      .join('\n');
  return `import type { MigrationInterface, QueryRunner } from 'typeorm';

// Generated from the entities by libs/server/database/src/scripts/generate-migration.ts.
export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${render(log.upQueries)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${render([...log.downQueries].reverse())}
  }
}
`;
}
