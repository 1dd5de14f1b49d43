export function Logo() {
  return (
    <span class="logo" aria-label="Tickstream">
      <svg viewBox="0 0 16 16" width="20" height="20" aria-hidden="true">
        <path
          d="M1 12 6 6l3 3 6-7"
          fill="none"
          stroke="currentColor"
          stroke-width="2"
          stroke-linecap="round"
          stroke-linejoin="round"
        />
      </svg>
      <span>Tickstream</span>
    </span>
  );
}
