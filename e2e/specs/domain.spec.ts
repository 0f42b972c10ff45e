/**
 * The domain page: the broken link marked in the diagram (by role and accessible name, not colour), its
 * finding with the next command, `?focus=` links, keyboard use, and the not-found and bad-input pages.
 */
import { expect, test } from '@playwright/test';
import { DomainPage } from '../pages/domain-page';
import { NamespacePage } from '../pages/namespace-page';
import { publishScreenshot } from '../support/env';

const CHECKOUT = 'checkout.acme.junovy.com';

test.describe('a broken domain', () => {
  test('shows the broken link highlighted and its finding with the hint', async ({ page }) => {
    const domain = new DomainPage(page);
    await domain.goto(CHECKOUT);
    await expect(domain.heading).toContainText(CHECKOUT);
    await expect(domain.heading).toContainText('Down');

    // Exactly one node is the critical broken link: the Service with no ready endpoint. The 503 a request
    // gets is listed on it as its symptom, after the cause; Traefik, which agrees, is no second broken link.
    await expect(domain.brokenNodes('critical')).toHaveCount(1);
    await expect(domain.brokenNodes('critical')).toHaveAccessibleName(/^Service checkout, .*down, broken link \(critical\): service\.no-ready-endpoints, http\.unavailable$/);
    // The two crash-looping Pods behind it are marked too, as warnings.
    await expect(domain.brokenNodes('warning')).toHaveCount(2);
    await expect(domain.node('Ingress route', '/')).not.toHaveAccessibleName(/broken link/);

    // Said in words first, with the next command.
    await expect(domain.summary).toHaveAccessibleName('Broken link: Service checkout');
    const finding = domain.finding('service.no-ready-endpoints');
    await expect(finding).toContainText('0 of 2 endpoints ready');
    await expect(finding).toContainText('kubectl -n hst-acme get endpointslices -l kubernetes.io/service-name=checkout -o wide');
    await expect(finding.getByRole('button', { name: 'Copy: the command' })).toBeVisible();

    // The finding links to its place in the diagram.
    await finding.getByRole('button', { name: 'Show in diagram' }).click();
    await expect(page).toHaveURL(/\?focus=Service\/checkout$/);
    await expect(domain.node('Service', 'checkout')).toBeFocused();
    await expect(domain.node('Service', 'checkout')).toHaveAttribute('aria-pressed', 'true');
    await expect(domain.detailsTitle()).toHaveText('checkout');
  });

  test('names the cause of the broken link in the banner, with the command that shows it', async ({ page }, testInfo) => {
    const domain = new DomainPage(page);
    await domain.goto(CHECKOUT);
    await expect(domain.summary).toHaveAccessibleName('Broken link: Service checkout');
    await expect(domain.summary).toContainText('0 of 2 endpoints ready');
    // Because the Pods behind the endpoints crash-loop: the banner's command is their logs, not the slices.
    const cause = domain.cause();
    await expect(cause).toContainText('Because');
    await expect(cause.getByRole('article', { name: 'Warning finding pod.crash-loop' })).toContainText(/CrashLoopBackOff after \d+ restarts; last exit code 1 \(Error\)/);
    await expect(cause).toContainText('kubectl -n hst-acme logs checkout-q8x4sv2bzk-r7fpn -c checkout --previous');
    await expect(cause.getByRole('button', { name: 'Copy: the command' })).toBeVisible();
    await expect(cause).toContainText('Also: Pod checkout-q8x4sv2bzk-zrghq (pod.crash-loop)');
    await expect(domain.summary.getByText(/get endpointslices/), "the symptom's own command is folded away").toBeHidden();
    const shot = testInfo.outputPath('domain-banner-cause.png');
    await page.screenshot({ path: shot, animations: 'disabled', caret: 'hide' });
    await testInfo.attach('domain-banner-cause.png', { path: shot, contentType: 'image/png' });
    publishScreenshot(shot, 'domain-banner-cause.png');

    await cause.getByRole('button', { name: 'Show Pod in diagram' }).click();
    await expect(page).toHaveURL(/\?focus=Pod\/checkout-q8x4sv2bzk-r7fpn$/);
    await expect(domain.detailsTitle()).toHaveText('checkout-q8x4sv2bzk-r7fpn');
  });

  test("a Service without endpoints because its Pods are pending gives the scheduler's reason in the banner", async ({ page }) => {
    const domain = new DomainPage(page);
    await domain.goto('reports.bakery-bros.junovy.com');
    await expect(domain.summary).toHaveAccessibleName('Broken link: Service reports');
    const cause = domain.cause();
    await expect(cause.getByRole('article', { name: 'Warning finding pod.pending' })).toContainText(/not scheduled \(Unschedulable\): 0\/4 nodes are available: .*Insufficient cpu/);
    await expect(cause).toContainText('kubectl -n hst-bakery-bros describe pod reports-8fxpwxfjhk-km6r8');
    await expect(domain.summary.getByText(/get endpointslices/)).toBeHidden();
  });

  test('a leftover Failed Pod, replaced and behind no endpoint, leaves its domain healthy', async ({ page }) => {
    const domain = new DomainPage(page);
    await domain.goto('www.bakery-bros.junovy.com');
    await expect(domain.heading).toContainText('Healthy');
    await expect(domain.summary).toHaveAccessibleName('Every link of this chain is healthy');
    await expect(domain.finding('pod.failed')).toContainText('a leftover');
    await expect(domain.finding('pod.failed')).toContainText('kubectl -n hst-bakery-bros delete pod website-vl9l8htv2g-rtkfk');
  });

  test('marks a broken edge when the backend Service does not exist', async ({ page }) => {
    const domain = new DomainPage(page);
    await domain.goto('blog.northwind.junovy.com');
    await expect(domain.brokenEdges()).toHaveCount(1);
    await expect(domain.brokenEdges()).toHaveAccessibleName(
      'Link from Ingress route / to Service blog, down, broken link (critical): ingress.backend-service-missing',
    );
    await expect(domain.node('Service', 'blog')).toHaveAccessibleName(/missing/);
    await expect(domain.summary).toHaveAccessibleName('Broken link: Ingress route / → Service blog');
    await expect(domain.finding('ingress.backend-service-missing')).toContainText('kubectl -n hst-northwind get services');
    await expect(domain.finding('ingress.backend-service-missing')).toContainText('Service northwind-blog, which no Ingress reaches, has port 80: did you mean it?');
  });

  test('a crash-looping Pod opens with its container state, restarts and events', async ({ page }) => {
    const domain = new DomainPage(page);
    await domain.goto(CHECKOUT);
    await domain.node('Pod', 'checkout-q8x4sv2bzk-r7fpn').click();
    await expect(domain.detailsTitle()).toHaveText('checkout-q8x4sv2bzk-r7fpn');
    await expect(domain.details).toContainText('CrashLoopBackOff');
    await expect(domain.details).toContainText(/\d+ restarts/);
    await expect(domain.details).toContainText('Last terminated: Error, exit code 1');
    await expect(domain.details.getByRole('article', { name: 'Warning finding pod.crash-loop' })).toContainText('--previous');
    await expect(domain.details.getByRole('heading', { name: /Recent Warning events \(\d+\)/ })).toBeVisible();
  });
});

test.describe('shareable views', () => {
  test('a ?focus= link reproduces the view, and Copy link copies it', async ({ page, context }) => {
    // The pages' Permissions-Policy forbids reading the clipboard (clipboard-read=()), so the test
    // records what the page writes to it instead.
    await page.addInitScript(() => {
      const w = window as unknown as { __copied?: string };
      Object.defineProperty(navigator, 'clipboard', {
        configurable: true,
        value: { writeText: async (text: string) => void (w.__copied = text) },
      });
    });
    const domain = new DomainPage(page);
    await domain.goto(CHECKOUT, 'Pod/checkout-q8x4sv2bzk-zrghq');
    await expect(domain.selectedNode()).toHaveAccessibleName(/^Pod checkout-q8x4sv2bzk-zrghq,/);
    await expect(domain.detailsTitle()).toHaveText('checkout-q8x4sv2bzk-zrghq');

    // Selecting another node updates the URL without a navigation.
    await domain.node('Service', 'checkout').click();
    await expect(page).toHaveURL(new RegExp(`/d/${CHECKOUT.replace(/\./g, '\\.')}\\?focus=Service/checkout$`));
    await expect(domain.selectedNode()).toHaveAccessibleName(/^Service checkout,/);

    await domain.copyLink.click();
    await expect(domain.copyLink).toContainText('Copied');
    const copied = await page.evaluate(() => (window as unknown as { __copied?: string }).__copied ?? '');
    expect(copied).toBe(page.url());

    // Pasted into a fresh page: the same node is selected and its details are open.
    const other = await context.newPage();
    const again = new DomainPage(other);
    await other.goto(copied);
    await expect(again.selectedNode()).toHaveAccessibleName(/^Service checkout,/);
    await expect(again.detailsTitle()).toHaveText('checkout');
  });

  test('a focus id that names no node says so instead of failing', async ({ page }) => {
    const domain = new DomainPage(page);
    await domain.goto(CHECKOUT, 'Pod/gone-away');
    await expect(domain.details).toContainText('Pod/gone-away is no longer part of this chain');
    await expect(domain.selectedNode()).toHaveCount(0);
  });
});

test.describe('keyboard', () => {
  test('Tab stops once on the diagram, arrow keys move between its nodes, Enter or Space opens their details, Escape closes them', async ({ page }, testInfo) => {
    const domain = new DomainPage(page);
    await domain.goto(CHECKOUT);
    const focusedNode = domain.diagram.locator(':focus');
    const route = domain.node('Ingress route', '/');
    const service = domain.node('Service', 'checkout');

    // The diagram tells how to use it.
    await expect(domain.diagram).toHaveAccessibleDescription('Arrow keys move between nodes, Enter opens details, Escape closes them.');

    // The first Tab lands on the skip link.
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();

    // Tab on until a diagram node has focus (bounded: the page has a few dozen controls before it). The one
    // Tab stop of the diagram is its broken link: the Service with no ready endpoint.
    for (let i = 0; i < 40 && (await focusedNode.count()) === 0; i++) await page.keyboard.press('Tab');
    await expect(service).toBeFocused();
    await expect(domain.diagram.locator('[tabindex="0"]')).toHaveCount(1);
    await expect(domain.diagram.getByRole('button')).toHaveCount(10);

    // Focus is visible: the existing ring (the node's box in the focus colour), from the keyboard.
    const box = service.locator('.chain-node-box');
    expect(await service.evaluate((el) => el.matches(':focus-visible'))).toBe(true);
    const focusColour = await page.evaluate(() => {
      const probe = document.createElement('div');
      probe.style.color = 'var(--color-focus)';
      document.body.append(probe);
      const colour = getComputedStyle(probe).color;
      probe.remove();
      return colour;
    });
    await expect(box).toHaveCSS('stroke', focusColour);
    await expect(box).toHaveCSS('stroke-width', '3px');

    // The next Tab leaves the diagram instead of walking its other nine nodes; Shift+Tab comes back.
    await page.keyboard.press('Tab');
    await expect(focusedNode).toHaveCount(0);
    await page.keyboard.press('Shift+Tab');
    await expect(service).toBeFocused();

    // Left and Right go across the columns along the chain, Up and Down within a column.
    await page.keyboard.press('ArrowLeft');
    await expect(route).toBeFocused();
    await page.keyboard.press('ArrowLeft');
    const domainNode = domain.node('Domain', CHECKOUT);
    await expect(domainNode).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(domain.diagram.getByRole('button', { name: /^DNS / })).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(domain.diagram.getByRole('button', { name: /^TLS / })).toBeFocused();
    await page.keyboard.press('Home');
    await expect(domainNode).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(service).toBeFocused();
    await page.keyboard.press('ArrowRight');
    const endpoint = domain.node('Endpoint', '10.42.2.15');
    await expect(endpoint).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(domain.node('Endpoint', '10.42.3.16')).toBeFocused();
    await page.keyboard.press('ArrowRight');
    const pod = domain.node('Pod', 'checkout-q8x4sv2bzk-zrghq');
    await expect(pod).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(pod, 'the last column: the focus stays').toBeFocused();
    await page.keyboard.press('Home');
    await page.keyboard.press('End');
    await expect(pod).toBeFocused();
    await expect(pod.locator('.chain-node-box')).toHaveCSS('stroke', focusColour);
    await expect(domain.diagram.locator('[tabindex="0"]'), 'the Tab stop roves with the focus').toHaveCount(1);
    await expect(pod).toHaveAttribute('tabindex', '0');
    const shot = testInfo.outputPath('domain-keyboard-focus.png');
    await page.screenshot({ path: shot, animations: 'disabled', caret: 'hide' });
    await testInfo.attach('domain-keyboard-focus.png', { path: shot, contentType: 'image/png' });

    // Enter opens the details of the focused node, and the focus stays on it.
    await page.keyboard.press('Enter');
    await expect(pod).toHaveAttribute('aria-pressed', 'true');
    await expect(domain.detailsTitle()).toHaveText('checkout-q8x4sv2bzk-zrghq');
    await expect(page).toHaveURL(/\?focus=Pod\/checkout-q8x4sv2bzk-zrghq$/);
    await expect(pod, 'focus stays on the node').toBeFocused();

    // Tab out and back: the diagram's Tab stop is the node last focused.
    await page.keyboard.press('Tab');
    await expect(focusedNode).toHaveCount(0);
    await page.keyboard.press('Shift+Tab');
    await expect(pod).toBeFocused();

    // Space opens another node's details.
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowLeft');
    await expect(endpoint).toBeFocused();
    await page.keyboard.press('Space');
    await expect(domain.selectedNode()).toHaveAccessibleName(/^Endpoint 10\.42\.2\.15,/);
    await expect(domain.details).toContainText('ready=false');

    // Escape closes the details; the focus stays in the diagram.
    await page.keyboard.press('Escape');
    await expect(domain.selectedNode()).toHaveCount(0);
    await expect(page).not.toHaveURL(/\?focus=/);
    await expect(domain.detailsTitle()).toHaveCount(0);
    await expect(endpoint).toBeFocused();
  });
});

test.describe('errors', () => {
  test('an unknown domain gets a 404 page that names the host', async ({ page }) => {
    const response = await page.goto('/d/nope.example.com');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Unknown domain');
    await expect(page.getByRole('main')).toContainText('No Ingress rule in a client environment serves nope.example.com');
    await expect(page.getByRole('link', { name: '← All client environments' })).toBeVisible();
  });

  test('a string that is not a host name says so', async ({ page }) => {
    await page.goto('/d/not_a_host!');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Not a domain name');
    await expect(page.getByRole('main')).toContainText('is not a valid host name');
  });

  test('an unknown environment gets a 404 page that names it', async ({ page }) => {
    const response = await page.goto('/ns/hst-nope');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Unknown environment');
    await expect(page.getByRole('main')).toContainText('hst-nope');
  });

  test('a page that does not exist gets the general 404', async ({ page }) => {
    const response = await page.goto('/no/such/page');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  });
});

test.describe('an environment', () => {
  test('lists its domains with health and top finding, unhealthy Pods and Warning events', async ({ page }) => {
    const ns = new NamespacePage(page);
    await ns.goto('hst-acme');
    await expect(ns.heading).toContainText('hst-acme');
    await expect(ns.domainLink(CHECKOUT)).toBeVisible();
    await expect(ns.domains).toContainText('service.no-ready-endpoints');
    await expect(ns.section(/^Unhealthy Pods \(\d+\)$/)).toContainText('checkout-q8x4sv2bzk-r7fpn');
    await expect(ns.section(/^Warning events \(\d+\)$/)).toContainText('BackOff');
    await ns.domainLink(CHECKOUT).click();
    await expect(page).toHaveURL(/\/d\/checkout\.acme\.junovy\.com\?focus=Service\/checkout$/);
  });
});
