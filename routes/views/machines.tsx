/**
 * The home page's projects grouped by machine: a heading for this machine (first) and, for each
 * other server the user added (Settings → Servers), its name, its status (`Online`, or `Offline`
 * with why and when it was last seen) and its projects from Palot's cache of its API, linking to
 * its pages (`/s/<server>/...`). Nothing here waits on another machine.
 */

import type { ComponentChildren } from "preact";
import type { ActivityItem } from "../../islands/mod.ts";
import type { RemoteServer } from "../../lib/server/remote/remote_server.ts";
import { remoteProjectHref } from "../../lib/common/remote_paths.ts";
import { ProjectCard } from "./lists.tsx";
import { MachineStatus } from "./machine_status.tsx";

/** This machine's heading and projects, when other machines are listed too. */
export function LocalMachine(
  { others, children }: { others: number; children: ComponentChildren },
) {
  if (others === 0) return <>{children}</>;
  return (
    <section class="machine" aria-labelledby="machine-local" data-machine="local">
      <h2 id="machine-local" class="machine-head">
        This machine <span class="machine-status online">Online</span>
      </h2>
      {children}
    </section>
  );
}

/** Each other machine's heading, status and projects. */
export function RemoteMachines(
  { servers, activity }: { servers: RemoteServer[]; activity: ActivityItem[] },
) {
  return (
    <>
      {servers.map((server) => {
        const status = server.status;
        const projects = server.catalog.listProjects();
        const headingId = `machine-${server.id}`;
        return (
          <section
            key={server.id}
            class={`machine ${status.state}`}
            aria-labelledby={headingId}
            data-machine={server.id}
          >
            <h2 id={headingId} class="machine-head">
              {server.name} <MachineStatus server={server} />
            </h2>
            {projects.length === 0
              ? (
                <p class="empty">
                  {server.catalog.loaded
                    ? "No projects on this server yet."
                    : status.state === "offline"
                    ? "Its projects show once it answers."
                    : "Reading its projects…"}
                </p>
              )
              : (
                <div class="project-list" role="list">
                  {projects.map((project) => (
                    <ProjectCard
                      key={project.id}
                      project={project}
                      activity={activity}
                      href={remoteProjectHref(server.id, project.id)}
                      server={server.id}
                    />
                  ))}
                </div>
              )}
          </section>
        );
      })}
    </>
  );
}
