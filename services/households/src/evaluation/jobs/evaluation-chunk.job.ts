import { Injectable } from '@nestjs/common';
import { JobHandler, JobName, type JobProcessor } from '#libs/messaging';
import { EvaluationService, type ChunkJob } from '../evaluation.service.js';

/** Grades one community of a run; see EvaluationService.gradeChunk. */
@Injectable()
@JobHandler(JobName.EvaluationChunk)
export class EvaluationChunkJob implements JobProcessor<ChunkJob> {
  constructor(private readonly evaluation: EvaluationService) {}

  handle(chunk: ChunkJob): Promise<void> {
    return this.evaluation.gradeChunk(chunk);
  }

  failed(chunk: ChunkJob, error: Error): Promise<void> {
    return this.evaluation.markFailed(chunk.runId, error);
  }
}
