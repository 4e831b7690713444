import { Module } from '@nestjs/common';
import { GuidelinesController } from './guidelines.controller';
import { GuidelinesRepository } from './guidelines.repository';
import { GuidelinesService } from './guidelines.service';

/** Versioned guidelines. Imported by LabelingModule, whose next route asks GuidelinesService.gate first. */
@Module({
  controllers: [GuidelinesController],
  providers: [GuidelinesService, GuidelinesRepository],
  exports: [GuidelinesService],
})
export class GuidelinesModule {}
