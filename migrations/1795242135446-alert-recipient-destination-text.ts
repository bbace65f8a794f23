import type { MigrationInterface, QueryRunner } from 'typeorm';

/** alert_recipients.destination varchar(512) -> text: web-push subscriptions (JSON) can be longer. */
export class AlertRecipientDestinationText1795242135446 implements MigrationInterface {
  name = 'AlertRecipientDestinationText1795242135446';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "alert_recipients" ALTER COLUMN "destination" TYPE text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "alert_recipients" ALTER COLUMN "destination" TYPE character varying(512)`);
  }
}
