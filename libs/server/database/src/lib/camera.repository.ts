import { Injectable } from '@nestjs/common';
import { DataSource, In, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { CameraSourceType, CameraStatus } from '@crowdsafe/contracts';
import { DuplicateError, isUniqueViolation, isUuid } from './errors';
import { EntityName, type CameraRecord, type JsonObject } from './records';

export interface CreateCameraInput {
  name: string;
  sourceType: CameraSourceType;
  sourceUrl: string;
  location?: string | null;
  sourceOptions?: JsonObject;
  isActive?: boolean;
  targetFps?: number;
  resolutionWidth?: number | null;
  resolutionHeight?: number | null;
  areaM2?: number | null;
  capacity?: number | null;
  latitude?: number | null;
  longitude?: number | null;
  calibrationData?: JsonObject | null;
  zones?: JsonObject[];
  settings?: JsonObject;
  createdBy?: string | null;
}

export type UpdateCameraPatch = Partial<Omit<CreateCameraInput, 'createdBy'>>;

/** Cameras table access. Unknown or malformed ids read as "not found". */
@Injectable()
export class CameraRepository {
  private readonly repo: Repository<CameraRecord>;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository<CameraRecord>(EntityName.Camera);
  }

  list(): Promise<CameraRecord[]> {
    return this.repo.find({ order: { name: 'ASC' } });
  }

  findById(id: string): Promise<CameraRecord | null> {
    return isUuid(id) ? this.repo.findOneBy({ id }) : Promise.resolve(null);
  }

  findActive(): Promise<CameraRecord[]> {
    return this.repo.find({ where: { isActive: true }, order: { name: 'ASC' } });
  }

  /** Inserts a camera and returns it with the database defaults filled in. Throws DuplicateError on a taken name. */
  async create(input: CreateCameraInput): Promise<CameraRecord> {
    try {
      const result = await this.repo.insert(input as QueryDeepPartialEntity<CameraRecord>);
      const id = (result.identifiers[0] as { id: string }).id;
      return await this.repo.findOneByOrFail({ id });
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateError('camera', 'name', input.name);
      throw e;
    }
  }

  /** Applies `patch`; null when the camera doesn't exist. Throws DuplicateError on a taken name. */
  async update(id: string, patch: UpdateCameraPatch): Promise<CameraRecord | null> {
    if (!isUuid(id)) return null;
    const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    if (Object.keys(changes).length > 0) {
      try {
        const result = await this.repo.update({ id }, changes as QueryDeepPartialEntity<CameraRecord>);
        if (result.affected === 0) return null;
      } catch (e) {
        if (isUniqueViolation(e)) throw new DuplicateError('camera', 'name', String(patch.name));
        throw e;
      }
    }
    return this.repo.findOneBy({ id });
  }

  /** Records the live ingestion status; false when the camera doesn't exist (e.g. deleted meanwhile). */
  async setStatus(id: string, status: CameraStatus, reason: string | null = null): Promise<boolean> {
    if (!isUuid(id)) return false;
    const result = await this.repo.update({ id }, { status, statusReason: reason });
    return (result.affected ?? 0) > 0;
  }

  count(): Promise<number> {
    return this.repo.count();
  }

  findByIds(ids: readonly string[]): Promise<CameraRecord[]> {
    const valid = ids.filter(isUuid);
    return valid.length ? this.repo.find({ where: { id: In(valid) }, order: { name: 'ASC' } }) : Promise.resolve([]);
  }

  findByName(name: string): Promise<CameraRecord | null> {
    return this.repo.findOneBy({ name });
  }

  /** Deletes a camera (its metrics, alerts and recordings cascade); false when it doesn't exist. */
  async delete(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const result = await this.repo.delete({ id });
    return (result.affected ?? 0) > 0;
  }

  /** Deletes the cameras with these ids; returns the ids that existed. */
  async deleteMany(ids: readonly string[]): Promise<string[]> {
    const found = (await this.findByIds(ids)).map((c) => c.id);
    if (found.length) await this.repo.delete({ id: In(found) });
    return found;
  }

  /** Sets isActive on the cameras with these ids; returns the updated records. */
  async setActiveMany(ids: readonly string[], isActive: boolean): Promise<CameraRecord[]> {
    const found = (await this.findByIds(ids)).map((c) => c.id);
    if (found.length) await this.repo.update({ id: In(found) }, { isActive });
    return this.findByIds(found);
  }
}
