export const PAGE_SIZE_MIN = 100;
export const PAGE_SIZE_MAX = 500;
const PAGE_SIZE_STEP = 100;

/**
 * Adaptive page size for pulls from the CMS: starts at 100, grows by 100 after each fast and clean
 * page up to 500, and halves (not below 100) after an error or a page slower than `slowMs`.
 */
export class PageSizer {
  size = PAGE_SIZE_MIN;

  constructor(private readonly slowMs: number) {}

  recordPage(elapsedMs: number): void {
    if (elapsedMs >= this.slowMs) this.shrink();
    else this.size = Math.min(PAGE_SIZE_MAX, this.size + PAGE_SIZE_STEP);
  }

  recordError(): void {
    this.shrink();
  }

  private shrink(): void {
    this.size = Math.max(PAGE_SIZE_MIN, Math.floor(this.size / 2));
  }
}
