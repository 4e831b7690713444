-- AlterTable
ALTER TABLE "campaigns" ADD COLUMN     "halted_reason" TEXT;

