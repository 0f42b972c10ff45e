/**
 * Prints the finding-code catalogue (lib/chain RULES) as markdown: code, severity, meaning, what to do.
 *
 *   node --import tsx scripts/finding-codes.ts > docs/finding-codes.md
 *
 * A test (lib/chain/catalogue.test.ts) fails when docs/finding-codes.md is not this output.
 */
import { catalogueMarkdown } from '../lib/chain/catalogue';

process.stdout.write(catalogueMarkdown());
