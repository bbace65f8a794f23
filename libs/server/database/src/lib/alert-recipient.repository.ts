import { Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { RiskLevel } from '@crowdsafe/contracts';
import { isUuid } from './errors';
import { EntityName, type AlertRecipientRecord, type RecipientChannel } from './records';

export interface NewAlertRecipient {
  cameraId?: string | null;
  name: string;
  channel: RecipientChannel;
  destination: string;
  minLevel?: RiskLevel;
  isActive?: boolean;
}

export type AlertRecipientPatch = Partial<NewAlertRecipient>;

/** Most recipients the table may hold (they are all loaded for routing). */
export const ALERT_RECIPIENTS_MAX = 1000;

/** The alert_recipients table (who gets email / SMS / push / webhook alerts). Unknown/malformed ids = not found. */
@Injectable()
export class AlertRecipientRepository {
  private readonly repo: Repository<AlertRecipientRecord>;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository<AlertRecipientRecord>(EntityName.AlertRecipient);
  }

  /** All recipients, global ones first, then by name (bounded by ALERT_RECIPIENTS_MAX). */
  list(): Promise<AlertRecipientRecord[]> {
    return this.repo.find({ order: { name: 'ASC', id: 'ASC' }, take: ALERT_RECIPIENTS_MAX });
  }

  /** Active recipients (routing input). */
  listActive(): Promise<AlertRecipientRecord[]> {
    return this.repo.find({ where: { isActive: true }, order: { name: 'ASC', id: 'ASC' }, take: ALERT_RECIPIENTS_MAX });
  }

  count(): Promise<number> {
    return this.repo.count();
  }

  findById(id: string): Promise<AlertRecipientRecord | null> {
    return isUuid(id) ? this.repo.findOneBy({ id }) : Promise.resolve(null);
  }

  async create(input: NewAlertRecipient): Promise<AlertRecipientRecord> {
    const result = await this.repo.insert({ ...input, cameraId: input.cameraId ?? null } as QueryDeepPartialEntity<AlertRecipientRecord>);
    const id = (result.identifiers[0] as { id: string }).id;
    return this.repo.findOneByOrFail({ id });
  }

  /** Applies `patch`; null when the recipient doesn't exist. */
  async update(id: string, patch: AlertRecipientPatch): Promise<AlertRecipientRecord | null> {
    if (!isUuid(id)) return null;
    const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    if (Object.keys(changes).length) {
      const r = await this.repo.update({ id }, changes as QueryDeepPartialEntity<AlertRecipientRecord>);
      if (r.affected === 0) return null;
    }
    return this.repo.findOneBy({ id });
  }

  /** false when it didn't exist. */
  async delete(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const r = await this.repo.delete({ id });
    return (r.affected ?? 0) > 0;
  }
}
