import { Module } from '@nestjs/common';
import { SourceModelsController } from './source-models.controller';
import { SourceModelsRepository } from './source-models.repository';
import { SourceModelsService } from './source-models.service';

@Module({ controllers: [SourceModelsController], providers: [SourceModelsService, SourceModelsRepository] })
export class SourceModelsModule {}
