import { Module } from '@nestjs/common';
import { BrowseController } from './browse.controller';
import { BrowseRepository } from './browse.repository';
import { BrowseService } from './browse.service';

@Module({ controllers: [BrowseController], providers: [BrowseService, BrowseRepository] })
export class BrowseModule {}
