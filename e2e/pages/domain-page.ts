/**
 * Page object of `/d/{host}`: the chain diagram, the details of the selected node, the findings.
 * Nodes are found by role and accessible name ("Service checkout, :80 → http, down, broken link
 * (critical): service.no-ready-endpoints"), never by colour.
 */
import type { Locator, Page } from '@playwright/test';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class DomainPage {
  readonly heading: Locator;
  readonly diagram: Locator;
  readonly details: Locator;
  readonly findings: Locator;
  readonly summary: Locator;
  readonly copyLink: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.diagram = page.getByRole('group', { name: /^Chain of / });
    this.details = page.getByRole('complementary', { name: 'Details' });
    this.findings = page.getByRole('region', { name: /^Findings/ });
    this.summary = page.getByRole('region', { name: /^(Broken link|Problem|Every (checked )?link)/ });
    this.copyLink = page.getByRole('button', { name: 'Copy link: link to this view' });
  }

  async goto(host: string, focus?: string) {
    const response = await this.page.goto(`/d/${encodeURIComponent(host)}${focus ? `?focus=${focus}` : ''}`);
    await this.heading.waitFor();
    return response;
  }

  /** A node of the diagram, by kind and name ("Service", "checkout"). */
  node(kind: string, name: string): Locator {
    return this.diagram.getByRole('button', { name: new RegExp(`^${escape(kind)} ${escape(name)},`) });
  }

  /** Every node marked as (part of) the broken link. */
  brokenNodes(severity: 'critical' | 'warning' = 'critical'): Locator {
    return this.diagram.getByRole('button', { name: new RegExp(`broken link \\(${severity}\\)`) });
  }

  /** Every edge marked as the broken link (edges are images with a name only when broken). */
  brokenEdges(): Locator {
    return this.diagram.getByRole('img', { name: /broken link/ });
  }

  /** The selected node (the diagram's nodes are toggle buttons). */
  selectedNode(): Locator {
    return this.diagram.getByRole('button', { pressed: true });
  }

  /** The cause the summary banner names for its symptom ("Because ..."), with the command that shows it. */
  cause(): Locator {
    return this.summary.getByRole('region', { name: 'Cause' });
  }

  /** A finding card in the Findings section, by code. */
  finding(code: string): Locator {
    return this.findings.getByRole('article', { name: new RegExp(`finding ${escape(code)}$`) });
  }

  /** The heading of the details panel: the selected object's name. */
  detailsTitle(): Locator {
    return this.details.getByRole('heading', { level: 3 });
  }
}
