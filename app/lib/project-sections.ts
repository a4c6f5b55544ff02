/**
 * The sections of a project, in navigation order. Later issues build each one; until then its
 * page says what it will hold. One list, read by the navigation, the overview and the pages.
 */
export interface ProjectSection {
  /** The path segment under /projects/:id. */
  path: string
  title: string
  /** One line for the navigation and the overview. */
  summary: string
  /** What the finished page will hold. */
  willHold: string[]
}

export const PROJECT_SECTIONS: ProjectSection[] = [
  {
    path: 'connections',
    title: 'Connections',
    summary: 'The YouTube, TikTok and Instagram accounts this project publishes to.',
    willHold: [
      'Connect a YouTube channel, a TikTok account and an Instagram professional account through their own sign-in (OAuth).',
      'Each connection’s state: connected, or needs reconnecting when a platform revokes access.',
      'Which platforms each post goes to.',
    ],
  },
  {
    path: 'library',
    title: 'Library',
    summary: 'Your uploaded clips, the raw material of every post.',
    willHold: [
      'Upload clips; originals are kept in storage, with a thumbnail, duration and size.',
      'Which clips have been used, and how often.',
      'Remove clips you no longer want posted.',
    ],
  },
  {
    path: 'autopilot',
    title: 'Autopilot',
    summary: 'When and how posts are made: cadence, time windows, style, objective.',
    willHold: [
      'Cadence (posts per day or week), the time windows you like and your time zone.',
      'The style of the vertical renders, with a preview in the browser.',
      'The objective and language of captions and hashtags, and a switch to pause the autopilot.',
    ],
  },
  {
    path: 'content',
    title: 'Content',
    summary: 'Every post, from planned to published.',
    willHold: [
      'Posts as they move through planned, rendered, awaiting approval and published.',
      'The caption, hashtags and rendered video of each, with approve and retry.',
      'Where each post went live, with its link on each platform.',
    ],
  },
  {
    path: 'analytics',
    title: 'Analytics',
    summary: 'How your posts perform on each platform.',
    willHold: ['Views and engagement per post and per platform, over time.', 'Which styles, hooks and time windows work best.'],
  },
  {
    path: 'assistant',
    title: 'Assistant',
    summary: 'Ideas, captions for a clip, and sponsorship prices from your results.',
    willHold: ['Ideas for the next videos from your clips and audience.', 'Captions and hashtags per platform within each limit.', 'A rate card from your measured views and engagement.'],
  },
  {
    path: 'inbox',
    title: 'Inbox',
    summary: 'Comments on your posts, with a suggested reply for each.',
    willHold: ['Recent YouTube and Instagram comments.', 'A reply to edit and send, never sent by itself.'],
  },
]

export function projectSection(path: string): ProjectSection {
  const section = PROJECT_SECTIONS.find((s) => s.path === path)
  if (!section) throw new Error(`No project section "${path}"`)
  return section
}
