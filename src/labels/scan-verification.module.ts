import { Module } from '@nestjs/common';
import { ScanVerifier } from './scan-verifier.service';
import { ScansRepository } from './scans.repository';

/**
 * The scan check alone, for the modules whose hand-offs take a `scan` (harvests, bank, doses). It depends on
 * nothing but common, so those modules import it while the labels module imports them.
 */
@Module({
  providers: [ScansRepository, ScanVerifier],
  exports: [ScanVerifier, ScansRepository],
})
export class ScanVerificationModule {}
